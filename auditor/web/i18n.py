"""The page's words in Russian and English (the scorecard's own languages)."""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ru": "Аудит данных CRM", "en": "CRM data audit"},
    "subtitle": {"ru": "Выгрузки CRM, 1С и телефонии → уровень зрелости и скоркарта. Данные не покидают этот компьютер.",
                 "en": "CRM, 1C and telephony exports → maturity level and scorecard. The data stays on this computer."},
    "drop": {"ru": "Перетащите сюда файлы, папку выгрузок или .zip", "en": "Drop files, a folder of exports or a .zip here"},
    "or": {"ru": "или", "en": "or"},
    "pick_files": {"ru": "выбрать файлы", "en": "choose files"},
    "pick_folder": {"ru": "выбрать папку", "en": "choose a folder"},
    "as_of": {"ru": "Дата аудита", "en": "As-of date"},
    "as_of_hint": {"ru": "пусто = последняя дата в данных", "en": "empty = latest date in the data"},
    "lang": {"ru": "Язык скоркарты", "en": "Scorecard language"},
    "self_assessment": {"ru": "Самооценка (YAML, необязательно)", "en": "Self-assessment (YAML, optional)"},
    "start": {"ru": "Начать аудит", "en": "Start the audit"},
    "clear_list": {"ru": "Очистить", "en": "Clear"},
    "files": {"ru": "Файлы", "en": "Files"},
    "total": {"ru": "Всего", "en": "Total"},
    "no_files": {"ru": "Файлы не выбраны", "en": "No files chosen"},
    "too_big": {"ru": "Больше лимита загрузки ({mb} МБ): уберите часть файлов или запустите сервер с большим --max-upload-mb",
                "en": "Over the upload limit ({mb} MB): remove some files or start the server with a higher --max-upload-mb"},
    "uploading": {"ru": "Загрузка", "en": "Uploading"},
    "audit": {"ru": "Аудит", "en": "Audit"},
    "queued": {"ru": "в очереди", "en": "queued"},
    "queue_place": {"ru": "в очереди, место {n}", "en": "queued, place {n}"},
    "running": {"ru": "идёт", "en": "running"},
    "done": {"ru": "готово", "en": "done"},
    "failed": {"ru": "ошибка", "en": "failed"},
    "stage_starting": {"ru": "запуск", "en": "starting"},
    "stage_recognising": {"ru": "распознавание файлов", "en": "recognising files"},
    "stage_loading": {"ru": "загрузка файла {k} из {n}", "en": "loading file {k} of {n}"},
    "stage_canonical": {"ru": "построение канонических таблиц", "en": "building the canonical tables"},
    "stage_checks": {"ru": "проверки качества", "en": "quality checks"},
    "stage_great_expectations": {"ru": "проверка Great Expectations", "en": "Great Expectations validation"},
    "stage_inference": {"ru": "вывод уровня зрелости", "en": "inferring the maturity level"},
    "stage_reports": {"ru": "запись скоркарты", "en": "writing the scorecard"},
    "stage_done": {"ru": "готово", "en": "done"},
    "rows": {"ru": "строк", "en": "rows"},
    "recognition": {"ru": "Распознавание файлов", "en": "File recognition"},
    "col_file": {"ru": "файл", "en": "file"},
    "col_system": {"ru": "система", "en": "system"},
    "col_entity": {"ru": "сущность", "en": "entity"},
    "col_read": {"ru": "прочитано", "en": "read"},
    "col_loaded": {"ru": "загружено", "en": "loaded"},
    "col_rejected": {"ru": "отклонено", "en": "rejected"},
    "col_problem": {"ru": "проблема и что сделать", "en": "problem and the fix"},
    "col_override": {"ru": "это на самом деле", "en": "this really is"},
    "auto": {"ru": "(распознать сам)", "en": "(recognise)"},
    "rerun": {"ru": "Перезапустить с исправлениями", "en": "Re-run with these corrections"},
    "level": {"ru": "Уровень зрелости", "en": "Maturity level"},
    "downloads": {"ru": "Скачать", "en": "Download"},
    "expectations": {"ru": "наборы Great Expectations (.zip)", "en": "Great Expectations suites (.zip)"},
    "earlier": {"ru": "Прошлые аудиты на этом компьютере", "en": "Earlier audits on this computer"},
    "none_yet": {"ru": "Пока нет", "en": "None yet"},
    "open": {"ru": "открыть", "en": "open"},
    "delete": {"ru": "удалить", "en": "delete"},
    "confirm_delete": {"ru": "Удалить этот аудит вместе с загруженными файлами?",
                       "en": "Delete this audit with its uploaded files?"},
    "created": {"ru": "создан", "en": "created"},
    "error": {"ru": "Ошибка", "en": "Error"},
    "network": {"ru": "Сервер не отвечает; проверьте, что crm-audit serve запущен",
                "en": "The server does not answer; check that crm-audit serve is running"},
    "scorecard": {"ru": "Скоркарта", "en": "Scorecard"},
    "new_audit": {"ru": "Новый аудит", "en": "New audit"},
    "other_lang": {"ru": "English", "en": "Русский"},
    "privacy": {"ru": "Телефоны, e-mail и имена в скоркартах замаскированы. Загрузки хранятся в {dir} и удаляются вместе с аудитом{keep}.",
                "en": "Phones, e-mails and names are masked in the scorecards. Uploads are kept in {dir} and deleted with their audit{keep}."},
    "keep": {"ru": " и через {n} дн.", "en": " and after {n} days"},
    "skipped": {"ru": "пропущен (скрытый или служебный файл, как в crm-audit run)",
                "en": "skipped (hidden or lock file, as crm-audit run does)"},
}


def strings(lang: str) -> dict[str, str]:
    return {k: v[lang] for k, v in STRINGS.items()}


def pick(query_lang: str | None, accept_language: str) -> str:
    if query_lang in ("ru", "en"):
        return query_lang
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first and not first.startswith("ru") else "ru"
