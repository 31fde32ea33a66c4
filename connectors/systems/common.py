"""Title synonyms shared by several systems (Russian CRMs name many fields alike)."""

# Titles meaning "loss reason" in the languages of the exports we meet, matched on normalised
# titles (lower case, `_` → space: Salesforce `Loss_Reason__c` → `loss reason c`, `LossReason__c`
# → `lossreason c`); amoCRM / Bitrix24 custom fields such as `Причина отказа ОП`.
LOSS_REASON = (r"причин\w* (отказа|провала|проигрыша|потери|отмены|срыва)|^отказ|причина відмови|"
               r"loss ?reasons?|lost ?reasons?|reasons? (for |of )?(the )?(loss|losing|lost)|reason ?lost|"
               r"verlust ?grund|grund (fur |für )?(den )?verlust|motivo (de |da |del )?(perdida|pérdida|perda)|"
               r"raz[oó]n (de )?(la )?(perdida|pérdida)|raison (de )?(la )?perte|motif (de )?(la )?perte|причина$")

PHONES_RU = ("Телефон", "Рабочий телефон", "Мобильный телефон", "Рабочий прямой телефон", "Домашний телефон",
             "Другой телефон", "Телефон для рассылок", "Номер факса", "Факс")
EMAILS_RU = ("E-mail", "Email", "Рабочий e-mail", "Рабочий email", "Частный e-mail", "Личный email",
             "E-mail для рассылок", "Другой e-mail", "Другой email", "Электронная почта")

# Standard company data that CRMs keep in custom fields (amoCRM custom fields, Bitrix24 `UF_CRM_…`
# titled by the portal, Salesforce `INN__c`): found by title when no built-in column maps, and by
# content (connectors/content_fields.py). Titles are compared normalised (headers.norm_header).
COMPANY_PATTERNS = {
    "inn": r"(^| )(инн|иин бин|бин|иин|inn|bin|tin|tax id|taxpayer id|tax number|vat id|vat number)( |$)|^инн|^бин",
    "kpp": r"(^| )(кпп|kpp)( |$)",
    "website": r"(^| )(сайт|веб сайт|website|web site|web|url|site|домен|domain)( |$)",
    "address": r"^(?!.*(почт|mail|ip|ай пи)).*(адрес|address)",
}
