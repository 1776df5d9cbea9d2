"""The Vietnamese classification of S&T fields (Bảng phân loại lĩnh vực nghiên cứu KH&CN,
QĐ 12/2008/QĐ-BKHCN ngày 04/9/2008), first and second levels.

The six groups carry the same codes as `khcn.projects.models.ScienceField` ("1"…"6");
second-level codes are the group digit followed by two digits ("101", "299").
The tree is seeded by migration `0002_seed_fields_of_science`; `seed_fields` is idempotent
so a later edition of the table can be loaded by a new data migration.
"""

FIELDS_OF_SCIENCE: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "1",
        "Khoa học tự nhiên",
        [
            ("101", "Toán học và thống kê"),
            ("102", "Khoa học máy tính và thông tin"),
            ("103", "Vật lý"),
            ("104", "Hóa học"),
            ("105", "Các khoa học trái đất và môi trường liên quan"),
            ("106", "Sinh học"),
            ("199", "Khoa học tự nhiên khác"),
        ],
    ),
    (
        "2",
        "Khoa học kỹ thuật và công nghệ",
        [
            ("201", "Kỹ thuật dân dụng"),
            ("202", "Kỹ thuật điện, kỹ thuật điện tử, kỹ thuật thông tin"),
            ("203", "Kỹ thuật cơ khí"),
            ("204", "Kỹ thuật hóa học"),
            ("205", "Kỹ thuật vật liệu và luyện kim"),
            ("206", "Kỹ thuật y học"),
            ("207", "Kỹ thuật môi trường"),
            ("208", "Công nghệ sinh học môi trường"),
            ("209", "Công nghệ sinh học công nghiệp"),
            ("210", "Công nghệ nano"),
            ("211", "Kỹ thuật thực phẩm và đồ uống"),
            ("299", "Khoa học kỹ thuật và công nghệ khác"),
        ],
    ),
    (
        "3",
        "Khoa học y, dược",
        [
            ("301", "Y học cơ sở"),
            ("302", "Y học lâm sàng"),
            ("303", "Dược học"),
            ("304", "Công nghệ sinh học trong y học"),
            ("305", "Khoa học sức khỏe"),
            ("399", "Khoa học y, dược khác"),
        ],
    ),
    (
        "4",
        "Khoa học nông nghiệp",
        [
            ("401", "Trồng trọt"),
            ("402", "Chăn nuôi"),
            ("403", "Thú y"),
            ("404", "Lâm nghiệp"),
            ("405", "Thủy sản"),
            ("406", "Công nghệ sinh học trong nông nghiệp"),
            ("499", "Khoa học nông nghiệp khác"),
        ],
    ),
    (
        "5",
        "Khoa học xã hội",
        [
            ("501", "Tâm lý học"),
            ("502", "Kinh tế và kinh doanh"),
            ("503", "Khoa học giáo dục"),
            ("504", "Xã hội học"),
            ("505", "Pháp luật"),
            ("506", "Khoa học chính trị"),
            ("507", "Địa lý kinh tế và xã hội"),
            ("508", "Thông tin đại chúng và truyền thông"),
            ("599", "Khoa học xã hội khác"),
        ],
    ),
    (
        "6",
        "Khoa học nhân văn",
        [
            ("601", "Lịch sử và khảo cổ học"),
            ("602", "Ngôn ngữ học và văn học"),
            ("603", "Triết học, đạo đức học và tôn giáo"),
            ("604", "Nghệ thuật"),
            ("699", "Khoa học nhân văn khác"),
        ],
    ),
]

EDITION = "QĐ 12/2008/QĐ-BKHCN"


def seed_fields(model) -> int:
    """Create or rename every field of the table; `model` may be a migration's historical model.

    Returns the number of rows written."""
    written = 0
    for position, (code, name, children) in enumerate(FIELDS_OF_SCIENCE, 1):
        model.objects.update_or_create(
            code=code,
            defaults={"name": name, "parent_id": None, "level": 1, "position": position},
        )
        written += 1
        for child_position, (child_code, child_name) in enumerate(children, 1):
            model.objects.update_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "parent_id": code,
                    "level": 2,
                    "position": child_position,
                },
            )
            written += 1
    return written
