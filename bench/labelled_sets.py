"""Seeded generators of labelled duplicate sets, shaped as CRM exports write them.

    people(n, seed)         contacts without a company: first name, surname, date of birth, city,
                            e-mail; duplicates with the typos people make
    organisations(n, seed)  companies without INN: name variants, address, postcode, city, phones
                            written as 7-digit local numbers or with an area code

Each returns (header, rows, truth) where `truth` maps the row's id to its entity. Corruptions
(independent, each with its own probability): a typo in a word (a letter dropped, doubled,
replaced by a keyboard neighbour, two letters swapped), ё written as е, a name transliterated to
Latin, given name and surname swapped or the given name cut to an initial, day and month of the
birth date swapped or one digit wrong, a value left blank, e-mail typos (local part or domain),
a legal form added or dropped, quotes, street words abbreviated (`улица` / `ул.`), a house number
typed `д. 5` or `5`, a local phone number written with or without its area code.
Deterministic for a seed (random.Random), no data files, no network.
"""
from __future__ import annotations

import random

FIRST_M = ["Александр", "Алексей", "Андрей", "Артём", "Борис", "Вадим", "Валерий", "Василий", "Виктор", "Владимир",
           "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Кирилл", "Константин", "Леонид", "Максим", "Михаил",
           "Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Сергей", "Станислав", "Степан", "Юрий"]
FIRST_F = ["Алёна", "Алина", "Анастасия", "Анна", "Валентина", "Вера", "Виктория", "Галина", "Дарья", "Екатерина",
           "Елена", "Жанна", "Ирина", "Ксения", "Лариса", "Людмила", "Марина", "Мария", "Надежда", "Наталья",
           "Нина", "Ольга", "Полина", "Светлана", "Софья", "Татьяна", "Юлия", "Яна"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
            "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
            "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
            "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
            "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
            "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
            "Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов"]
# surnames beyond the commonest: roots × suffixes (the commonest 70 cover too few people; real
# name diversity makes two unrelated people with one full name in one city rare)
ROOTS = ["Абрам", "Агафон", "Аксён", "Анисим", "Артамон", "Бары", "Белоус", "Блин", "Бобр", "Бог", "Бондар", "Булат",
         "Быстр", "Валуй", "Варлам", "Вдов", "Венедикт", "Веселк", "Вихр", "Волод", "Ворон", "Гаврил", "Гладк", "Голуб",
         "Горбун", "Гордей", "Гром", "Груздь", "Дань", "Дегтяр", "Дроздов", "Дуб", "Евдоким", "Елисе", "Ермак", "Ерш",
         "Жар", "Журавл", "Забел", "Зимин", "Злобин", "Зуб", "Игнат", "Изюм", "Казак", "Калин", "Капуст", "Карась", "Кедр",
         "Клим", "Ковыл", "Колесн", "Копыл", "Корней", "Кочет", "Крюк", "Кудр", "Лавр", "Лапш", "Лукин", "Лыс", "Малин",
         "Мартын", "Мелех", "Мороз", "Назар", "Нестер", "Овсян", "Окун", "Онуфри", "Пахом", "Перепел", "Пестр", "Пирог",
         "Плот", "Прохор", "Пушк", "Рыбак", "Рябин", "Савв", "Сазон", "Самсон", "Свирид", "Селезн", "Сем", "Скобел",
         "Снегир", "Сом", "Спиридон", "Сыч", "Тимоф", "Толст", "Трофим", "Тюлен", "Ушак", "Фадей", "Фом", "Хромц", "Чеснок",
         "Чиж", "Шапош", "Шилов", "Щеглов", "Юдин", "Ягод", "Ярош"]
SURNAMES = SURNAMES + [r + s for r in ROOTS for s in ("ов", "ин", "ченко") if not r.endswith(("ов", "ин")) or s == "ченко"]
CITIES = ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород", "Челябинск",
          "Самара", "Омск", "Ростов-на-Дону", "Уфа", "Красноярск", "Воронеж", "Пермь", "Волгоград", "Краснодар",
          "Тюмень", "Ижевск", "Барнаул", "Иркутск", "Хабаровск", "Ярославль", "Владивосток", "Томск", "Оренбург"]
DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru"]
STREETS = ["Ленина", "Мира", "Советская", "Гагарина", "Пушкина", "Кирова", "Садовая", "Молодёжная", "Лесная",
           "Школьная", "Набережная", "Октябрьская", "Центральная", "Заводская", "Победы", "Чапаева", "Полевая",
           "Строителей", "Маяковского", "Горького", "Комсомольская", "Первомайская", "Северная", "Южная"]
STREET_KINDS = [("улица", "ул."), ("проспект", "пр-т"), ("переулок", "пер."), ("бульвар", "б-р"), ("шоссе", "ш.")]
ORG_ROOTS = ["Север", "Юг", "Восток", "Запад", "Альфа", "Бета", "Гранит", "Монолит", "Вектор", "Импульс", "Спектр",
             "Меридиан", "Горизонт", "Орион", "Атлант", "Титан", "Кристалл", "Радуга", "Сокол", "Берёзка", "Волга",
             "Урал", "Сибирь", "Байкал", "Алтай", "Нева", "Дон", "Кама", "Ока", "Лидер", "Прогресс", "Стандарт"]
ORG_TAILS = ["строй", "торг", "пром", "снаб", "сервис", "техника", "монтаж", "маркет", "логистик", "проект", "инвест",
             "комплект", "мебель", "электро", "авто", "агро", "фарм", "трейд", "систем", "холдинг"]
ORG_KINDS = ["Кафе", "Ресторан", "Магазин", "Торговый дом", "Салон", "Студия", "Агентство", "Клиника", "Центр", "Мастерская"]
FORMS = ["ООО", "АО", "ИП", "ЗАО"]
NEIGHBOURS = {"а": "вп", "б": "ью", "в": "аы", "г": "нш", "д": "лж", "е": "кн", "и": "мт", "к": "уе", "л": "до",
              "м": "си", "н": "ег", "о": "рл", "п": "ар", "р": "по", "с": "чм", "т": "иь", "у": "цк", "ш": "гщ",
              "a": "sq", "e": "wr", "i": "uo", "o": "ip", "n": "bm", "r": "et", "s": "ad", "t": "ry", "l": "k", "m": "n"}
TRANSLIT = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye")) | {
    "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ъ": "", "ь": ""}


def translit(text: str) -> str:
    out = "".join(TRANSLIT.get(ch.lower(), ch.lower()) for ch in text)
    return out[:1].upper() + out[1:] if text[:1].isupper() else out


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1:]
    if kind < 0.5:
        return word[:i] + word[i] + word[i:]
    if kind < 0.75 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    near = NEIGHBOURS.get(word[i].lower())
    return word[:i] + (rng.choice(near) if near else word[i]) + word[i + 1:]


def _fem(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ёв", "ев", "ин")) else surname


def people(n: int = 2000, seed: int = 1201) -> tuple[list[str], list[list[str]], dict[str, int]]:
    rng = random.Random(seed)
    header = ["ID", "Имя", "Фамилия", "Дата рождения", "Город", "E-mail"]
    rows, truth, used = [], {}, set()
    for entity in range(n):
        female = rng.random() < 0.5
        first = rng.choice(FIRST_F if female else FIRST_M)
        last = _fem(rng.choice(SURNAMES)) if female else rng.choice(SURNAMES)
        dob = (rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        city = rng.choice(CITIES)
        local = rng.choice([f"{translit(last).lower()}", f"{translit(first).lower()}.{translit(last).lower()}",
                            f"{translit(first)[0].lower()}{translit(last).lower()}{rng.randint(1, 99)}"])
        email = f"{local}@{rng.choice(DOMAINS)}"
        while email in used:  # a mailbox has one owner: the next free name, as mail services offer
            email = f"{local}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}"
        used.add(email)
        copies = 1 + (rng.choice([1, 1, 1, 2, 2, 3]) if rng.random() < 0.5 else 0)
        for c in range(copies):
            f, s, (y, m, d), ct, em = first, last, dob, city, email
            if c:
                if rng.random() < 0.25:
                    f = typo(rng, f)
                if rng.random() < 0.25:
                    s = typo(rng, s)
                if rng.random() < 0.15:
                    f, s = f.replace("ё", "е"), s.replace("ё", "е")
                if rng.random() < 0.08:
                    f, s = translit(f), translit(s)
                if rng.random() < 0.05:
                    f, s = s, f
                if rng.random() < 0.05:
                    f = f[0] + "."
                if rng.random() < 0.1 and d <= 12:
                    m, d = d, m
                elif rng.random() < 0.1:
                    d = max(1, min(28, d + rng.choice([-1, 1, 10, -10])))
                changed = em
                if rng.random() < 0.2:
                    changed = typo(rng, em.split("@")[0]) + "@" + em.split("@")[1]
                elif rng.random() < 0.1:
                    changed = em.split("@")[0] + "@" + rng.choice(DOMAINS)
                em = changed if changed not in used or changed == em else em  # never someone else's mailbox
                if rng.random() < 0.1:
                    ct = typo(rng, ct)
            birth = "" if rng.random() < 0.1 else rng.choice([f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}"])
            rid = f"P{len(rows) + 1:06d}"
            rows.append([rid, "" if rng.random() < 0.03 else f, s, birth, "" if rng.random() < 0.15 else ct,
                         "" if rng.random() < 0.2 else em])
            truth[rid] = entity
    order = list(range(len(rows)))
    rng.shuffle(order)
    return header, [rows[i] for i in order], truth


def _phone(rng: random.Random) -> tuple[str, str]:
    code = rng.choice(["495", "499", "812", "343", "383", "846"])
    return code, f"{rng.randint(200, 999)}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"


def organisations(n: int = 1500, seed: int = 1202) -> tuple[list[str], list[list[str]], dict[str, int]]:
    rng = random.Random(seed)
    header = ["ID", "Название компании", "Адрес", "Город", "Почтовый индекс", "Телефон"]
    rows, truth = [], {}
    for entity in range(n):
        core = rng.choice(ORG_ROOTS) + rng.choice(ORG_TAILS)
        if rng.random() < 0.3:
            core = f"{rng.choice(ORG_KINDS)} «{rng.choice(ORG_ROOTS)}»"
        elif rng.random() < 0.3:
            core = f"{core} {rng.choice(['Плюс', 'Групп', 'М', 'Центр', 'Регион'])}"
        form = rng.choice(FORMS)
        street, (kind_full, kind_short) = rng.choice(STREETS), rng.choice(STREET_KINDS)
        house = rng.randint(1, 150)
        city = rng.choice(CITIES[:8])
        postcode = f"{rng.randint(101, 690):03d}{rng.randint(0, 999):03d}"
        code, local = _phone(rng)
        # two thirds of the records are redundant, as in the labelled sets the issue names
        copies = 1 + (rng.choice([1, 2, 2, 3]) if rng.random() < 0.6 else 0)
        for c in range(copies):
            name, st, h, kind = core, street, str(house), kind_full
            ph = rng.choice([local, f"({code}) {local}", f"8 ({code}) {local}"])
            with_form = rng.random() < 0.6
            if c:
                if rng.random() < 0.25:
                    name = typo(rng, name)
                if rng.random() < 0.15:
                    name = name.replace("ё", "е")
                if rng.random() < 0.1:
                    name = name.replace("«", "\"").replace("»", "\"")
                if rng.random() < 0.2:
                    st = typo(rng, st)
                if rng.random() < 0.15:
                    ph = local if ph != local else f"({code}) {local}"
            kind = rng.choice([kind_full, kind_short])
            h = rng.choice([h, f"д. {h}", f"д.{h}", f"дом {h}"])
            address = rng.choice([f"{kind} {st}, {h}", f"{st} {kind}, {h}"])
            if rng.random() < 0.3:
                address = f"г. {city}, {address}"
            shown = f"{form} «{name}»" if with_form and "«" not in name else (f"{form} {name}" if with_form else name)
            rid = f"C{len(rows) + 1:06d}"
            rows.append([rid, shown, "" if rng.random() < 0.05 else address, "" if rng.random() < 0.2 else city,
                         "" if rng.random() < 0.3 else postcode, "" if rng.random() < 0.1 else ph])
            truth[rid] = entity
    order = list(range(len(rows)))
    rng.shuffle(order)
    return header, [rows[i] for i in order], truth
