"""Names, IDs, phones, provinces and the ways officers type numbers and dates (pure, seeded by the caller)."""
from __future__ import annotations

from datetime import date
from random import Random

MALE = (("สมชาย", "somchai"), ("สมศักดิ์", "somsak"), ("ประเสริฐ", "prasert"), ("วิชัย", "wichai"),
        ("ธนากร", "thanakorn"), ("กิตติพงษ์", "kittipong"), ("ณัฐวุฒิ", "nattawut"), ("อนุชา", "anucha"),
        ("ชัยวัฒน์", "chaiwat"), ("สุรชัย", "surachai"), ("พงศกร", "pongsakorn"), ("ปิยะ", "piya"),
        ("วีระพงษ์", "weerapong"), ("ธีรวัฒน์", "teerawat"), ("เอกชัย", "ekkachai"), ("ภานุวัฒน์", "panuwat"),
        ("จิรายุ", "jirayu"), ("ศุภชัย", "supachai"), ("อภิชาติ", "apichart"), ("ณรงค์", "narong"),
        ("บุญเลิศ", "boonlert"), ("ไพโรจน์", "pairoj"), ("เกียรติศักดิ์", "kiattisak"), ("ธนพล", "thanapol"))
FEMALE = (("สมหญิง", "somying"), ("วิไลวรรณ", "wilaiwan"), ("กาญจนา", "kanjana"), ("สุภาพร", "supaporn"),
          ("พิมพ์ชนก", "pimchanok"), ("ณัฐธิดา", "natthida"), ("อรอุมา", "onuma"), ("ปวีณา", "paweena"),
          ("จันทร์เพ็ญ", "janpen"), ("ศิริพร", "siriporn"), ("รัชนี", "ratchanee"), ("นภัสสร", "napatsorn"),
          ("ธิดารัตน์", "thidarat"), ("มาลี", "malee"), ("อัญชลี", "anchalee"), ("เบญจวรรณ", "benjawan"),
          ("ชุติมา", "chutima"), ("ปราณี", "pranee"), ("วรรณา", "wanna"), ("สุนันทา", "sunanta"),
          ("กมลชนก", "kamonchanok"), ("พรทิพย์", "porntip"), ("อารีรัตน์", "areerat"), ("ดวงใจ", "duangjai"))
SURNAMES = (("ใจดี", "jaidee"), ("ศรีสุข", "srisuk"), ("สุขสวัสดิ์", "suksawat"), ("วงศ์ใหญ่", "wongyai"),
            ("แก้วมณี", "kaewmanee"), ("ทองดี", "thongdee"), ("บุญมา", "boonma"), ("รัตนพันธ์", "rattanapan"),
            ("ชัยมงคล", "chaimongkol"), ("พิทักษ์ธรรม", "pitaktham"), ("เจริญสุข", "charoensuk"),
            ("มั่นคง", "mankong"), ("สายทอง", "saithong"), ("ปัญญาดี", "panyadee"), ("ศรีวงศ์", "sriwong"),
            ("อินทร์แก้ว", "inkaew"), ("คำภา", "khampha"), ("สิทธิโชค", "sitthichok"), ("นาคสวัสดิ์", "naksawat"),
            ("จันทร์หอม", "janhom"), ("ประเสริฐสุข", "prasertsuk"), ("วัฒนากุล", "wattanakul"),
            ("เพชรรัตน์", "petcharat"), ("ธนสาร", "thanasan"), ("กิจเจริญ", "kitcharoen"), ("บุญยืน", "boonyuen"),
            ("ทรัพย์มาก", "sapmak"), ("แสงอรุณ", "saengarun"), ("ลิ้มเจริญ", "limcharoen"), ("ตั้งใจ", "tangjai"),
            ("อ่อนศรี", "onsri"), ("พรหมมา", "promma"), ("สมบูรณ์ชัย", "somboonchai"), ("เรืองศรี", "ruangsri"))
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "hotmail.com", "yahoo.com", "outlook.co.th")

# The 77 provinces (76 จังหวัด + กรุงเทพมหานคร), grouped by region for the unit tabs.
REGIONS: dict[str, tuple[str, ...]] = {
    "เหนือตอนบน": ("เชียงใหม่", "เชียงราย", "ลำปาง", "ลำพูน", "แม่ฮ่องสอน", "น่าน", "พะเยา", "แพร่"),
    "เหนือตอนล่าง": ("พิษณุโลก", "อุตรดิตถ์", "ตาก", "สุโขทัย", "พิจิตร", "กำแพงเพชร", "เพชรบูรณ์",
                     "นครสวรรค์", "อุทัยธานี"),
    "อีสานตอนบน": ("ขอนแก่น", "อุดรธานี", "เลย", "หนองคาย", "หนองบัวลำภู", "บึงกาฬ", "สกลนคร", "นครพนม",
                   "มุกดาหาร", "กาฬสินธุ์"),
    "อีสานตอนล่าง": ("นครราชสีมา", "บุรีรัมย์", "สุรินทร์", "ศรีสะเกษ", "อุบลราชธานี", "ยโสธร", "ชัยภูมิ",
                     "อำนาจเจริญ", "มหาสารคาม", "ร้อยเอ็ด"),
    "กลาง": ("กรุงเทพมหานคร", "สมุทรปราการ", "นนทบุรี", "ปทุมธานี", "พระนครศรีอยุธยา", "อ่างทอง", "ลพบุรี",
             "สิงห์บุรี", "ชัยนาท", "สระบุรี", "นครนายก"),
    "ตะวันตก": ("นครปฐม", "สมุทรสาคร", "สมุทรสงคราม", "สุพรรณบุรี", "กาญจนบุรี", "ราชบุรี", "เพชรบุรี",
                "ประจวบคีรีขันธ์"),
    "ตะวันออก": ("ชลบุรี", "ระยอง", "จันทบุรี", "ตราด", "ฉะเชิงเทรา", "ปราจีนบุรี", "สระแก้ว"),
    "ใต้ตอนบน": ("ชุมพร", "ระนอง", "สุราษฎร์ธานี", "พังงา", "ภูเก็ต", "กระบี่", "นครศรีธรรมราช"),
    "ใต้ตอนล่าง": ("ตรัง", "พัทลุง", "สงขลา", "สตูล", "ปัตตานี", "ยะลา", "นราธิวาส"),
}
PROVINCES: tuple[str, ...] = tuple(p for group in REGIONS.values() for p in group)

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def check_digit(first12: str) -> str:
    """The mod-11 check digit shared by Thai national IDs and tax IDs."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def valid_national_id(rng: Random) -> str:
    """A random 13-digit national ID (เลขประจำตัวประชาชน) with a correct check digit."""
    body = rng.choice("1113358") + "".join(rng.choice("0123456789") for _ in range(11))
    return body + check_digit(body)


def valid_tax_id(rng: Random, prefix: str = "0105") -> str:
    """A random 13-digit juristic tax ID (0-10-5-YY-…): company 0105, partnership 0103, group 0993."""
    body = prefix + str(rng.randint(40, 68)) + "".join(rng.choice("0123456789") for _ in range(6))
    return body + check_digit(body)


def wrong_check_digit(number: str) -> str:
    """The same 13 digits with the check digit off by one: fails the mod-11 check."""
    return number[:12] + str((int(number[12]) + 1) % 10)


def thai_digits(text: str) -> str:
    """Arabic digits written as Thai digits (๐–๙)."""
    return text.translate(_THAI_DIGITS)


def be_text(day: date) -> str:
    """A date typed as Buddhist-Era text, as officers do: `15/02/2567`."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def officer_date(rng: Random, day: date, text_share: float = 0.35) -> date | str:
    """A date as a real date cell or, sometimes, as BE text (`15/02/2567`) or, rarely, CE text (`15/02/2024`)."""
    roll = rng.random()
    if roll < text_share:
        return be_text(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if roll < text_share + 0.04 else day


def officer_number(rng: Random, value: int | float) -> int | float | str:
    """A number as officers leave it: mostly a number, sometimes text with commas or in Thai digits."""
    roll = rng.random()
    if roll < 0.90:
        return value
    text = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
    return thai_digits(text) if roll > 0.975 else text


def mobile(rng: Random) -> str:
    """A Thai mobile number (06x/08x/09x), with or without dashes."""
    digits = "0" + rng.choice("689") + "".join(rng.choice("0123456789") for _ in range(8))
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if rng.random() < 0.3 else digits


class People:
    """Makes people with unique emails; one instance per workbook keeps emails from colliding."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self._emails: set[str] = set()

    def person(self) -> dict[str, str]:
        """A person: คำนำหน้า, first and last name, gender, national ID, email and mobile."""
        rng = self.rng
        female = rng.random() < 0.5
        first, first_latin = rng.choice(FEMALE if female else MALE)
        last, last_latin = rng.choice(SURNAMES)
        title = rng.choice(("นาง", "นางสาว")) if female else "นาย"
        return {"title": title, "first": first, "last": last, "nid": valid_national_id(rng),
                "email": self.email(first_latin, last_latin), "phone": mobile(rng)}

    def email(self, first: str, last: str, domain: str | None = None) -> str:
        """A plausible, not yet used address like `somchai.jai@gmail.com`."""
        domain = domain or self.rng.choice(EMAIL_DOMAINS)
        base = f"{first}.{last[:3]}"
        address = f"{base}@{domain}"
        while address in self._emails:
            address = f"{base}{self.rng.randint(1, 9999)}@{domain}"
        self._emails.add(address)
        return address
