"""Title synonyms shared by several systems (Russian CRMs name many fields alike)."""

LOSS_REASON = r"причин\w* (отказа|провала|проигрыша|потери)|^отказ|loss reason|lost reason|closed lost reason|reason for loss|причина$"

PHONES_RU = ("Телефон", "Рабочий телефон", "Мобильный телефон", "Рабочий прямой телефон", "Домашний телефон",
             "Другой телефон", "Телефон для рассылок", "Номер факса", "Факс")
EMAILS_RU = ("E-mail", "Email", "Рабочий e-mail", "Рабочий email", "Частный e-mail", "Личный email",
             "E-mail для рассылок", "Другой e-mail", "Другой email", "Электронная почта")
