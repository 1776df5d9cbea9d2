"""Demo S&T tasks (nhiệm vụ KH&CN) of Hải Phòng (rule set vn-2013) and Hà Nội (hn-05-2021).

Every task is walked through the task and council services and the workflow engine, as the
person the rules give each step to, inside `clock.travel(day)`: proposals, identification
councils, calls, applications and score sheets, approval, contracts and tranches,
disbursements, progress reports, inspections, changes and extensions, acceptance councils
with their ballots, recognition, settlement, liquidation and the monitoring of results. So
the history, deadlines, audit trail, councils and generated DOCX documents are what a real
department would hold; no state is ever set directly.

Hải Phòng's portfolio reproduces its 2022 report (seed 004): 47 tasks approved in 2022, 30
of them started in 2022, 19 tasks accepted in 2022 (approved in 2020–2021), counted by
`projects.selectors.year_figures` from the history. Beside it: the intellectual-property
programme 2021–2025 with six projects (collective and certification marks, a geographical
indication), the pilot-production project on phosphogypsum waste of the DAP Đình Vũ plant
(seed 001), and live tasks in every other state of the rule set, dated relative to today so
that "Việc của tôi" has real work for the staff, the leader, the hosts and the experts.

`Walker` is the small engine of this module: one per department, it takes a `Task` (a
`Plan` and the dates of its steps) from one step to the next.
"""

import datetime as dt
import random
import re
from bisect import bisect_right
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from khcn.core import clock
from khcn.core.calendar import calendar_for, shift_months
from khcn.core.demo import demo_step, minimal_pdf
from khcn.core.files import NamedBytes
from khcn.core.text import fold

D = dt.date
DAY = dt.timedelta(days=1)

# --- people -------------------------------------------------------------------------------------

# Host organisations of Hải Phòng: key → (organisation, contact username, contact, position).
# "chutri" (Trường Đại học Hải Phòng) is one of the documented demo logins.
HP_HOSTS = {
    "dhhp": ("Trường Đại học Hải Phòng", "chutri", "", ""),
    "hanghai": (
        "Trường Đại học Hàng hải Việt Nam",
        "chutri.hanghai",
        "TS. Phạm Văn Toàn",
        "Phó Trưởng phòng Khoa học – Công nghệ",
    ),
    "yduoc": (
        "Trường Đại học Y Dược Hải Phòng",
        "chutri.yduoc",
        "ThS. Đào Thị Hồng Nhung",
        "Chuyên viên Phòng Quản lý khoa học",
    ),
    "haisan": (
        "Viện Nghiên cứu Hải sản",
        "chutri.haisan",
        "ThS. Trần Văn Hướng",
        "Trưởng phòng Kế hoạch – Hợp tác quốc tế",
    ),
    "tnmtbien": (
        "Viện Tài nguyên và Môi trường biển",
        "chutri.tnmtbien",
        "TS. Nguyễn Thị Minh Huyền",
        "Trưởng phòng Quản lý tổng hợp",
    ),
    "tienphong": (
        "Công ty CP Nhựa Thiếu niên Tiền Phong",
        "chutri.tienphong",
        "KS. Lê Quang Hưng",
        "Giám đốc Trung tâm Nghiên cứu phát triển",
    ),
    "viettiep": (
        "Bệnh viện Hữu nghị Việt Tiệp",
        "chutri.viettiep",
        "BSCKII. Phạm Thị Lan",
        "Trưởng phòng Chỉ đạo tuyến",
    ),
    "treem": (
        "Bệnh viện Trẻ em Hải Phòng",
        "chutri.treem",
        "ThS. Vũ Thị Thanh Hoa",
        "Phó Trưởng phòng Kế hoạch tổng hợp",
    ),
    "cdc": (
        "Trung tâm Kiểm soát bệnh tật thành phố Hải Phòng",
        "chutri.cdc",
        "ThS. Hoàng Văn Nam",
        "Trưởng khoa Phòng chống bệnh truyền nhiễm",
    ),
    "nongnghiep": (
        "Trung tâm Khuyến nông Hải Phòng",
        "chutri.khuyennong",
        "KS. Nguyễn Văn Lợi",
        "Phó Giám đốc",
    ),
    "ptpt": (
        "Viện Nghiên cứu Phát triển Hải Phòng",
        "chutri.vienptpt",
        "TS. Đỗ Thị Thu Trang",
        "Trưởng phòng Khoa học – Đào tạo",
    ),
    "ungdung": (
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hải Phòng",
        "chutri.ungdung",
        "ThS. Bùi Thị Ngọc Lan",
        "Trưởng phòng Sở hữu trí tuệ",
    ),
    "dap": (
        "Công ty CP DAP – Vinachem",
        "chutri.dap",
        "KS. Trịnh Quang Vinh",
        "Phó Giám đốc kỹ thuật",
    ),
    "moitruong": (
        "Công ty TNHH Công nghệ Môi trường Hải Âu",
        "chutri.haiau",
        "KS. Đinh Văn Khải",
        "Giám đốc",
    ),
    "nangluong": (
        "Công ty CP Năng lượng sinh khối Duyên Hải",
        "chutri.duyenhai",
        "KS. Lương Văn Thịnh",
        "Giám đốc",
    ),
    "thanhto": (
        "Công ty CP Công nghệ sinh học Thành Tô",
        "chutri.thanhto",
        "ThS. Đoàn Minh Đức",
        "Giám đốc",
    ),
    "giongts": (
        "Công ty TNHH Giống thủy sản Đồ Sơn",
        "chutri.giongdoson",
        "KS. Phan Thị Hải Yến",
        "Phó Giám đốc",
    ),
}

# More experts than the nine documented ones, from organisations that host no task, so that
# every council can be seated without anyone from the task's own organisations.
HP_EXPERTS_EXTRA = [
    (
        "chuyengia10",
        "PGS.TS. Nguyễn Quang Minh",
        "Trường Đại học Bách khoa Hà Nội",
        "Giảng viên cao cấp",
    ),
    ("chuyengia11", "TS. Trịnh Thị Thu Hằng", "Viện Vật liệu xây dựng", "Trưởng phòng thí nghiệm"),
    ("chuyengia12", "PGS.TS. Đoàn Văn Tuấn", "Học viện Nông nghiệp Việt Nam", "Trưởng khoa"),
    (
        "chuyengia13",
        "TS. Mai Xuân Trường",
        "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
        "Nghiên cứu viên chính",
    ),
    ("chuyengia14", "TS. Lưu Thị Thanh Nga", "Trường Đại học Kinh tế Quốc dân", "Giảng viên"),
]

HP_PROPOSER = ("dathang", "Phạm Thị Thu", "Sở Nông nghiệp và Môi trường Hải Phòng", "Chuyên viên")

HN_HOSTS = {
    "thuyloi": (
        "Viện Khoa học Thủy lợi Việt Nam",
        "chutri.thuyloi",
        "TS. Nguyễn Đức Mạnh",
        "Trưởng phòng Khoa học và Hợp tác quốc tế",
    ),
    "xaydung": (
        "Trường Đại học Xây dựng Hà Nội",
        "chutri.xaydung",
        "TS. Lê Thị Phương Thảo",
        "Phó Trưởng phòng Khoa học công nghệ",
    ),
    "bachkhoa": (
        "Trường Đại học Bách khoa Hà Nội",
        "chutri.bachkhoa",
        "TS. Hà Văn Quyết",
        "Chuyên viên Ban Khoa học – Công nghệ",
    ),
}
HN_EXPERTS = [
    (
        "chuyengia.hn1",
        "GS.TS. Trần Văn Hiếu",
        "Viện Hàn lâm Khoa học xã hội Việt Nam",
        "Nghiên cứu viên cao cấp",
    ),
    (
        "chuyengia.hn2",
        "PGS.TS. Nguyễn Thị Bích Ngọc",
        "Trường Đại học Kinh tế Quốc dân",
        "Trưởng bộ môn",
    ),
    (
        "chuyengia.hn3",
        "TS. Phạm Minh Châu",
        "Viện Quy hoạch đô thị và nông thôn quốc gia",
        "Trưởng phòng",
    ),
    (
        "chuyengia.hn4",
        "PGS.TS. Lê Đức Anh",
        "Trường Đại học Công nghệ, ĐHQG Hà Nội",
        "Giảng viên cao cấp",
    ),
    ("chuyengia.hn5", "TS. Vũ Thị Hà", "Viện Môi trường Nông nghiệp", "Nghiên cứu viên chính"),
    (
        "chuyengia.hn6",
        "TS. Đặng Quốc Bảo",
        "Học viện Công nghệ Bưu chính Viễn thông",
        "Trưởng khoa",
    ),
    ("chuyengia.hn7", "ThS. Cao Thị Mỹ Linh", "Sở Tài chính Hà Nội", "Phó Trưởng phòng"),
    ("chuyengia.hn8", "PGS.TS. Hồ Sỹ Dũng", "Trường Đại học Mỏ – Địa chất", "Giảng viên cao cấp"),
    (
        "chuyengia.hn9",
        "TS. Kiều Văn Tùng",
        "Viện Khoa học Công nghệ Xây dựng",
        "Nghiên cứu viên chính",
    ),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lương",
    "Trịnh",
    "Mai",
    "Phan",
    "Cao",
    "Tạ",
    "Hà",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Quang",
    "Thanh",
    "Hữu",
    "Ngọc",
    "Thu",
    "Xuân",
    "Hồng",
    "Công",
    "Thế",
    "Kim",
    "Mạnh",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
DEGREES = ["TS.", "TS.", "TS.", "PGS.TS.", "ThS.", "ThS.", "GS.TS."]
DEGREE = re.compile(r"^((?:GS|PGS)\.TS\.|TS\.|ThS\.|BSCKII\.|KS\.)\s+")

# --- the portfolio ------------------------------------------------------------------------------

TOPIC, PILOT, SCHEME, PROJECT = "de_tai", "du_an_sxtn", "de_an", "du_an_khcn"
NAT, ENG, MED, AGR, SOC, HUM = "1", "2", "3", "4", "5", "6"

# (title, field, host, proposer); proposers are the ordering agencies of the time.
HISTORY = [
    # accepted in 2022, approved in 2020–2021 (19, the first one from seed 004)
    ("Chế tạo thiết bị thử khả năng chịu áp suất thủy tĩnh di động cho ống nhựa", ENG, "tienphong", "Sở Công Thương Hải Phòng"),
    ("Nghiên cứu sản xuất giống cá chim vây vàng (Trachinotus blochii) quy mô hàng hóa tại Cát Bà", AGR, "haisan", "Sở Nông nghiệp và Phát triển nông thôn Hải Phòng"),
    ("Xây dựng mô hình trồng rau an toàn theo tiêu chuẩn VietGAP gắn với chuỗi tiêu thụ tại huyện An Dương", AGR, "nongnghiep", "UBND huyện An Dương"),
    ("Đánh giá sức tải môi trường vịnh Lan Hạ phục vụ phát triển du lịch và nuôi trồng thủy sản bền vững", NAT, "tnmtbien", "UBND huyện Cát Hải"),
    ("Nghiên cứu ứng dụng kỹ thuật can thiệp nội mạch điều trị phình động mạch chủ bụng", MED, "viettiep", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu chế tạo ống nhựa HDPE gân xoắn hai lớp đường kính lớn dùng cho thoát nước đô thị", ENG, "tienphong", "Sở Xây dựng Hải Phòng"),
    ("Nghiên cứu sử dụng tro xỉ nhiệt điện làm vật liệu san lấp và gia cố nền đường", ENG, "hanghai", "Sở Giao thông vận tải Hải Phòng"),
    ("Đánh giá hiệu quả phẫu thuật nội soi một lỗ điều trị viêm ruột thừa ở trẻ em", MED, "treem", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu giải pháp phát triển kinh tế biển Hải Phòng đến năm 2030, tầm nhìn 2045", SOC, "ptpt", "Ban Quản lý Khu kinh tế Hải Phòng"),
    ("Xây dựng cơ sở dữ liệu chuyên gia và tổ chức khoa học và công nghệ thành phố Hải Phòng", ENG, "dhhp", "Sở Khoa học và Công nghệ Hải Phòng"),
    ("Ứng dụng kỹ thuật sinh học phân tử chẩn đoán sớm lao kháng thuốc tại Hải Phòng", MED, "cdc", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu diễn biến xói lở, bồi tụ bờ biển Đồ Sơn và đề xuất giải pháp bảo vệ", NAT, "tnmtbien", "UBND quận Đồ Sơn"),
    ("Thiết kế, chế tạo robot hàn tự động đường hàn vỏ tàu cho nhà máy đóng tàu", ENG, "hanghai", "Sở Công Thương Hải Phòng"),
    ("Nghiên cứu sản xuất chế phẩm sinh học xử lý rơm rạ làm phân bón hữu cơ tại chỗ", AGR, "dhhp", "UBND huyện Vĩnh Bảo"),
    ("Nghiên cứu thực trạng và giải pháp dự phòng bệnh đái tháo đường type 2 ở người trưởng thành", MED, "yduoc", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu bảo tồn và phát huy giá trị lễ hội chọi trâu Đồ Sơn", HUM, "dhhp", "Sở Văn hóa và Thể thao Hải Phòng"),
    ("Nghiên cứu quy trình nuôi thương phẩm hàu Thái Bình Dương trên vùng biển Cát Hải", AGR, "haisan", "UBND huyện Cát Hải"),
    ("Giải pháp nâng cao chỉ số năng lực cạnh tranh cấp tỉnh (PCI) của thành phố Hải Phòng", SOC, "ptpt", "Sở Kế hoạch và Đầu tư Hải Phòng"),
    # approved and started in 2022 (30 with two programme projects)
    ("Ứng dụng công nghệ biofloc trong nuôi tôm thẻ chân trắng thâm canh tại huyện Tiên Lãng", AGR, "haisan", "UBND huyện Tiên Lãng"),
    ("Nghiên cứu chọn tạo giống lúa chất lượng cao, chịu mặn phù hợp vùng ven biển Hải Phòng", AGR, "dhhp", "Sở Nông nghiệp và Phát triển nông thôn Hải Phòng"),
    ("Xây dựng bản đồ phân vùng nguy cơ ngập lụt đô thị Hải Phòng trong điều kiện biến đổi khí hậu", NAT, "tnmtbien", "Sở Tài nguyên và Môi trường Hải Phòng"),
    ("Nghiên cứu phục hồi rừng ngập mặn ven biển huyện Tiên Lãng gắn với sinh kế cộng đồng", NAT, "tnmtbien", "UBND huyện Tiên Lãng"),
    ("Nghiên cứu ứng dụng kỹ thuật nội soi phế quản siêu âm (EBUS) chẩn đoán ung thư phổi", MED, "viettiep", "Sở Y tế Hải Phòng"),
    ("Đánh giá tình trạng dinh dưỡng và can thiệp giảm suy dinh dưỡng thấp còi ở trẻ dưới 5 tuổi tại huyện Kiến Thụy", MED, "yduoc", "UBND huyện Kiến Thụy"),
    ("Nghiên cứu giải pháp giảm phát thải khí nhà kính cho đội tàu biển Việt Nam", ENG, "hanghai", "Sở Giao thông vận tải Hải Phòng"),
    ("Nghiên cứu chế tạo phụ gia bê tông từ tro bay và xỉ lò cao", ENG, "dhhp", "Sở Xây dựng Hải Phòng"),
    ("Xây dựng hệ thống thông tin địa lý (GIS) quản lý hạ tầng cảng biển Hải Phòng", ENG, "hanghai", "Cảng vụ Hàng hải Hải Phòng"),
    ("Ứng dụng trí tuệ nhân tạo nhận dạng số hiệu container tại cảng Hải Phòng", ENG, "hanghai", "Ban Quản lý Khu kinh tế Hải Phòng"),
    ("Ứng dụng Internet vạn vật giám sát chất lượng không khí đô thị Hải Phòng", ENG, "dhhp", "Sở Tài nguyên và Môi trường Hải Phòng"),
    ("Nghiên cứu giải pháp phát triển nguồn nhân lực chất lượng cao ngành logistics Hải Phòng", SOC, "hanghai", "Sở Lao động – Thương binh và Xã hội Hải Phòng"),
    ("Nghiên cứu lịch sử hình thành và phát triển cảng Hải Phòng (1874–2024)", HUM, "dhhp", "Sở Văn hóa và Thể thao Hải Phòng"),
    ("Nghiên cứu tỷ lệ nhiễm HPV và sàng lọc ung thư cổ tử cung ở phụ nữ 30–60 tuổi tại Hải Phòng", MED, "yduoc", "Sở Y tế Hải Phòng"),
    ("Xây dựng hệ thống giám sát dịch sốt xuất huyết dựa trên dữ liệu khí tượng", MED, "cdc", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu sản xuất ống nhựa PP-R chịu nhiệt kháng khuẩn", ENG, "tienphong", "Sở Công Thương Hải Phòng"),
    ("Nghiên cứu ứng dụng công nghệ màng sinh học (MBBR) xử lý nước thải sinh hoạt khu dân cư tập trung", ENG, "moitruong", "Sở Xây dựng Hải Phòng"),
    ("Quan trắc và đánh giá ô nhiễm vi nhựa trong nước và trầm tích cửa sông Bạch Đằng", NAT, "tnmtbien", "Sở Tài nguyên và Môi trường Hải Phòng"),
    ("Ứng dụng công nghệ tưới nhỏ giọt kết hợp bón phân cho cây ăn quả có múi tại huyện Thủy Nguyên", AGR, "nongnghiep", "UBND huyện Thủy Nguyên"),
    ("Xây dựng mô hình chăn nuôi lợn an toàn sinh học trên đệm lót sinh học tại huyện Vĩnh Bảo", AGR, "nongnghiep", "UBND huyện Vĩnh Bảo"),
    ("Nghiên cứu giải pháp phát triển du lịch cộng đồng tại quần đảo Cát Bà", SOC, "ptpt", "Sở Du lịch Hải Phòng"),
    ("Nghiên cứu ứng dụng phẫu thuật thay khớp háng toàn phần không xi măng", MED, "viettiep", "Sở Y tế Hải Phòng"),
    ("Đánh giá kết quả điều trị trẻ sơ sinh non tháng bằng liệu pháp surfactant ít xâm lấn (LISA)", MED, "treem", "Sở Y tế Hải Phòng"),
    ("Nghiên cứu quy trình sản xuất nước mắm giảm muối theo phương pháp truyền thống cải tiến", ENG, "haisan", "UBND huyện Cát Hải"),
    ("Nghiên cứu giải pháp chống ăn mòn cho kết cấu thép công trình cảng biển", ENG, "hanghai", "Cảng vụ Hàng hải Hải Phòng"),
    ("Đánh giá nguồn lợi và đề xuất giải pháp bảo vệ bãi giống, bãi đẻ thủy sản ven biển Hải Phòng", AGR, "haisan", "Chi cục Thủy sản Hải Phòng"),
    ("Nghiên cứu mô hình chính quyền đô thị và giải pháp hoàn thiện tại thành phố Hải Phòng", SOC, "ptpt", "Sở Nội vụ Hải Phòng"),
    ("Nghiên cứu bảo tồn nghề tạc tượng gỗ truyền thống làng Bảo Hà", HUM, "dhhp", "UBND huyện Vĩnh Bảo"),
    # approved late in 2022, started in 2023, finished in 2025 (with a programme project: 4)
    ("Nghiên cứu ứng dụng công nghệ plasma lạnh bảo quản thủy sản sau thu hoạch", ENG, "haisan", "Chi cục Thủy sản Hải Phòng"),
    ("Xây dựng quy trình kỹ thuật trồng và chăm sóc cây xanh đô thị chịu gió bão", AGR, "dhhp", "Sở Xây dựng Hải Phòng"),
    ("Nghiên cứu ứng dụng chuỗi khối (blockchain) truy xuất nguồn gốc nông sản chủ lực", ENG, "dhhp", "Sở Nông nghiệp và Phát triển nông thôn Hải Phòng"),
]  # fmt: skip

# Approved late in 2022 and started in 2023 for 36 months (some extended by up to 12): the
# tasks at the acceptance steps today. (title, field, host, proposer, last step, days ago,
# rating); the last step's date is fitted by moving the end date.
LONG_2022 = [
    ("Nghiên cứu ứng dụng vi tảo xử lý nước thải nuôi tôm và thu hồi sinh khối", NAT, "tnmtbien", "UBND huyện Tiên Lãng", "submit", 1, "DAT"),
    ("Đánh giá chất lượng nước ngầm và đề xuất giải pháp cấp nước sạch cho đảo Bạch Long Vĩ", NAT, "tnmtbien", "UBND huyện Bạch Long Vĩ", "finalise", 2, "DAT"),
    ("Nghiên cứu thiết kế tàu vỏ composite phục vụ tuần tra, cứu hộ vùng ven biển", ENG, "hanghai", "Bộ Chỉ huy Bộ đội Biên phòng thành phố Hải Phòng", "acc_form", 2, "DAT"),
    ("Nghiên cứu ứng dụng công nghệ in 3D chế tạo nẹp chỉnh hình cá nhân hóa", MED, "viettiep", "Sở Y tế Hải Phòng", "internal", 5, "DAT"),
    ("Nghiên cứu đặc điểm kháng kháng sinh của vi khuẩn gây nhiễm khuẩn bệnh viện tại Hải Phòng", MED, "viettiep", "Sở Y tế Hải Phòng", "evaluate", 1, "XUAT_SAC"),
    ("Đánh giá hiệu quả mô hình quản lý tăng huyết áp tại trạm y tế xã", MED, "yduoc", "Sở Y tế Hải Phòng", "submit", 6, "DAT"),
    ("Nghiên cứu xây dựng bộ tiêu chí đánh giá đô thị thông minh cho Hải Phòng", SOC, "ptpt", "Sở Thông tin và Truyền thông Hải Phòng", "liquidate", 12, "DAT"),
    ("Nghiên cứu ứng dụng công nghệ sấy bơm nhiệt sấy hải sản khô tại Cát Bà", ENG, "hanghai", "UBND huyện Cát Hải", "hand_over", 5, "DAT"),
    ("Nghiên cứu sản xuất chitosan từ vỏ tôm phế phụ phẩm chế biến thủy sản", ENG, "dhhp", "Sở Công Thương Hải Phòng", "rate", 6, "DAT"),
    ("Ứng dụng ảnh viễn thám giám sát biến động đường bờ và bãi triều Hải Phòng", NAT, "tnmtbien", "Sở Tài nguyên và Môi trường Hải Phòng", "register", 2, "XUAT_SAC"),
    ("Thiết kế hệ thống tự động giám sát và điều khiển trạm bơm tiêu thoát nước", ENG, "hanghai", "Công ty TNHH MTV Thoát nước Hải Phòng", "settle", 4, "DAT"),
    ("Nghiên cứu ứng dụng chế phẩm enzyme xử lý mùi hôi tại khu xử lý chất thải rắn Tràng Cát", ENG, "thanhto", "Công ty TNHH MTV Môi trường đô thị Hải Phòng", "rate", 4, "KHONG_DAT"),
    ("Nghiên cứu sản xuất giống tu hài (Lutraria rhynchaena) nhân tạo quy mô hàng hóa", AGR, "giongts", "UBND huyện Cát Hải", "refund", 10, "KHONG_DAT"),
]  # fmt: skip

PROGRAMME = {
    "code": "CT-TSTT-2021-2025",
    "name": "Chương trình hỗ trợ phát triển tài sản trí tuệ thành phố Hải Phòng giai đoạn 2021–2025",
    "description": (
        "Hỗ trợ tạo lập, quản lý và phát triển nhãn hiệu tập thể, nhãn hiệu chứng nhận và chỉ "
        "dẫn địa lý cho đặc sản, sản phẩm làng nghề của thành phố; nâng cao giá trị và sức cạnh "
        "tranh của sản phẩm trên thị trường."
    ),
}
# (title, proposer); the host is the department's technology-application centre.
IP_PROJECTS = [
    ("Xây dựng, quản lý và phát triển nhãn hiệu chứng nhận «Nước mắm Cát Hải» cho sản phẩm nước mắm của huyện Cát Hải", "UBND huyện Cát Hải"),
    ("Tạo lập, quản lý và phát triển nhãn hiệu tập thể «Bánh đa cua Hải Phòng»", "Sở Công Thương Hải Phòng"),
    ("Quản lý và phát triển nhãn hiệu tập thể «Thuốc lào Vĩnh Bảo»", "UBND huyện Vĩnh Bảo"),
    ("Tạo lập, quản lý và phát triển nhãn hiệu tập thể «Nem cua bể Hải Phòng»", "Sở Du lịch Hải Phòng"),
    ("Xây dựng, quản lý và phát triển nhãn hiệu chứng nhận «Bánh mì cay Hải Phòng»", "Sở Công Thương Hải Phòng"),
    ("Quản lý và phát triển chỉ dẫn địa lý «Thanh Hà» cho sản phẩm quả vải thiều", "Sở Nông nghiệp và Môi trường Hải Phòng"),
]  # fmt: skip

PHOSPHOGYPSUM = (
    "Hoàn thiện công nghệ xử lý bã thải thạch cao phospho của Nhà máy phân bón DAP – Đình Vũ "
    "sản xuất phụ gia xi măng, vật liệu làm nền và móng đường giao thông, vật liệu san lấp công "
    "trình xây dựng"
)

PRODUCTS = {
    TOPIC: [
        ("Báo cáo tổng hợp kết quả nghiên cứu", "báo cáo", 1),
        ("Quy trình kỹ thuật được hội đồng cơ sở thông qua", "quy trình", 1),
        ("Bài báo khoa học đăng trên tạp chí chuyên ngành trong nước", "bài", 2),
    ],
    PILOT: [
        ("Quy trình công nghệ hoàn thiện ở quy mô sản xuất thử nghiệm", "quy trình", 1),
        ("Sản phẩm thử nghiệm đạt tiêu chuẩn kỹ thuật", "lô", 3),
        ("Báo cáo đánh giá hiệu quả kinh tế – kỹ thuật", "báo cáo", 1),
    ],
    PROJECT: [
        ("Giấy chứng nhận đăng ký nhãn hiệu do Cục Sở hữu trí tuệ cấp", "giấy", 1),
        ("Bộ công cụ quản lý: quy chế sử dụng, biểu trưng, tem nhãn, quy trình kiểm soát", "bộ", 1),
        ("Báo cáo tổng hợp kết quả thực hiện dự án", "báo cáo", 1),
    ],
}
PRODUCTS[SCHEME] = PRODUCTS[TOPIC]

LOCATIONS = {"hp": "Phòng họp tầng 3, Sở KH&CN Hải Phòng", "hn": "Phòng họp số 2, Sở KH&CN Hà Nội"}


# --- plans and tasks ----------------------------------------------------------------------------


@dataclass
class Call:
    """A call for selection (the `projects.Call` row is made when it opens)."""

    code: str
    title: str
    year: int
    open: dt.date
    close: dt.date
    record: object = None


@dataclass
class Plan:
    """What one task is and when it happens. `proposed` (or `approve`, or the call) and
    `start` anchor the dates; every other step follows at the intervals a department keeps
    within the rule set's time limits (`Walker.dates`)."""

    title: str
    field: str
    host: str
    proposer: str
    kind: str = TOPIC
    year: int | None = None
    budget: int = 900_000_000  # state budget (đồng)
    other: int = 0  # the host's own money
    months: int = 18
    call: Call | None = None
    rival: str = ""  # a second organisation applying to the same call
    proposed: dt.date | None = None
    approve: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None  # the end date approved (else start + months)
    rating: str = "DAT"  # the acceptance council's conclusion
    extension: int = 0  # months of an approved extension
    extended_to: dt.date | None = None  # or the end date of an approved extension
    change: bool = False  # an approved budget reallocation while running
    closes: bool = True  # the monitoring of results ends after the application report
    programme: object = None
    proposer_user: object = None  # an outside proposer (else the staff file the proposal)


@dataclass
class Task:
    plan: Plan
    index: int
    leader: str = ""
    rival_leader: str = ""
    project: object = None
    host_user: object = None
    acceptance: object = None
    applications: list = field(default_factory=list)
    dates: dict = field(default_factory=dict)
    done: int = 0  # steps taken


class Walker:
    """Takes the tasks of one department through their steps, each as the person the rule set
    gives it to, on its own date (`clock.travel`), through the services and the engine."""

    CALL_STEPS = ["propose", "identify", "order", "apply", "open_dossiers", "selection", "score"]
    DIRECT_STEPS = ["propose", "identify", "order", "assign"]
    COMMON_STEPS = [
        "revise",
        "appraise",
        "approve",
        "contract",
        "start",
        "run",
        "internal",
        "submit",
        "validate",
        "acc_form",
        "form_council",
        "evaluate",
        "rate",
    ]
    PASS_STEPS = [
        "finalise",
        "register",
        "recognise",
        "hand_over",
        "settle",
        "liquidate",
        "monitor",
        "report_use",
        "close",
    ]
    FAIL_STEPS = ["refund", "liquidate_failed"]

    def __init__(self, agency, *, staff, leader, experts, hosts, today, ruleset, seed=0):
        self.agency = agency
        self.staff, self.leader = staff, leader
        self.experts = experts
        self.hosts = hosts  # key → (organisation, contact user)
        self.today = today
        self.ruleset = ruleset
        self.early_dossier = ruleset == "hn-05-2021"  # QĐ 05/2021: dossier 30 NV before the end
        self.cal = calendar_for(agency)
        self.rng = random.Random(seed)
        self.place = LOCATIONS.get(agency.code, "")
        self.numbers: dict[str, int] = {}
        self.leaders: set[str] = set()
        self.tasks: list[Task] = []
        self.days: list[tuple[int, dt.date]] = []  # (last notification id before, day)
        self._rotation = 0

    # --- dates, numbers, names --------------------------------------------------------------------

    def wd(self, d: dt.date) -> dt.date:
        """`d`, or the next working day when `d` is a day off."""
        return d if self.cal.is_working_day(d) else self.cal.add_working_days(d, 1)

    def ago(self, days: int) -> dt.date:
        """The working day on or before `days` days ago (negative: days ahead)."""
        d = self.today - dt.timedelta(days=days)
        return d if self.cal.is_working_day(d) else self.cal.add_working_days(d, -1)

    @contextmanager
    def travel(self, day: dt.date):
        """`clock.travel(day)`, noting which day the notifications made next belong to."""
        from khcn.notifications.models import Notification

        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.days.append((last, day))
        with clock.travel(day):
            yield

    def on(self, day: dt.date) -> dt.date:
        """The day a step is taken: never after today."""
        return min(day, self.today)

    def number(self, suffix: str, day: dt.date, *, with_year=False) -> str:
        key = f"{day.year}{suffix}"
        self.numbers[key] = self.numbers.get(key, 0) + self.rng.randint(2, 25)
        year = f"/{day.year}" if with_year else ""
        return f"{self.numbers[key]}{year}/{suffix}"

    def person(self) -> str:
        """A leader's name with degree, never used twice (eligibility keys on the name)."""
        while True:
            name = (
                f"{self.rng.choice(DEGREES)} {self.rng.choice(FAMILY)} "
                f"{self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
            )
            key = fold(DEGREE.sub("", name))
            if key not in self.leaders:
                self.leaders.add(key)
                return name

    def dates(self, task: Task) -> dict[str, dt.date]:
        """Every step's date from the plan's anchors."""
        p, i = task.plan, task.index
        add = self.cal.add_working_days

        def plus(d: dt.date, n: int) -> dt.date:
            return self.wd(d + dt.timedelta(days=n))

        t: dict[str, dt.date] = {}
        if p.proposed:
            t["propose"] = p.proposed
        elif p.call is not None:
            t["propose"] = self.wd(p.call.open - dt.timedelta(days=40 + i % 7))
        else:
            t["propose"] = self.wd(p.approve - dt.timedelta(days=80 + i % 9))
        t["identify"] = plus(t["propose"], 5)
        t["identify_meeting"] = plus(t["identify"], 7)
        t["order"] = plus(t["identify_meeting"], 1)
        if p.call is not None:
            t["apply"] = plus(p.call.open, 4 + i % 20)
            t["open_dossiers"] = add(p.call.close, 1)
            t["selection"] = add(t["open_dossiers"], 1)
            t["selection_meeting"] = plus(t["selection"], 7)
            t["score"] = add(t["selection_meeting"], 1)
            base = t["score"]
        else:
            t["assign"] = plus(t["order"], 6)
            base = t["assign"]
        approve = max(p.approve or plus(base, 36), plus(base, 20))
        t["revise"] = max(add(base, 1), self.wd(approve - dt.timedelta(days=28)))
        t["appraise"] = plus(t["revise"], 14)
        t["approve"] = max(self.wd(approve), add(t["appraise"], 2))
        t["contract"] = plus(t["approve"], 6)
        t["start"] = max(self.wd(p.start), t["contract"]) if p.start else plus(t["contract"], 4)
        t["end"] = p.end or shift_months(t["start"], p.months) - DAY
        last = p.extended_to or (shift_months(t["end"], p.extension) if p.extension else t["end"])
        t["last"] = last
        t["middle"] = self.wd(t["start"] + (t["end"] - t["start"]) / 2)
        if self.early_dossier:  # internal acceptance and dossier well before the end
            t["internal"] = self.wd(last - dt.timedelta(days=62))
        else:
            t["internal"] = plus(last, 4)
        t["submit"] = plus(t["internal"], 6)
        t["validate"] = add(t["submit"], 2)
        t["acc_form"] = add(t["validate"], 3)
        t["form_council"] = add(t["acc_form"], 1)
        t["evaluate"] = plus(t["form_council"], 14)
        t["rate"] = add(t["evaluate"], 1)
        t["finalise"] = plus(t["rate"], 18)
        t["register"] = add(t["finalise"], 3)
        t["recognise"] = add(t["finalise"], 7)
        t["hand_over"] = plus(t["recognise"], 14)
        t["settle"] = plus(t["hand_over"], 16)
        t["liquidate"] = plus(t["settle"], 9)
        t["monitor"] = add(t["liquidate"], 1)
        t["report_use"] = plus(t["liquidate"], 170)
        t["close"] = plus(t["report_use"], 30)
        t["refund"] = plus(t["rate"], 12)
        t["liquidate_failed"] = plus(t["refund"], 20)
        return t

    def plan(self, plan: Plan, *, stop: str | None = None, on: dt.date | None = None) -> Task:
        """A task for `plan`; with `stop` and `on`, its proposal date is moved so that the step
        `stop` falls on the day `on` (a live task's last step, relative to today)."""
        task = Task(plan, len(self.tasks))
        self.tasks.append(task)
        if stop and on:
            if plan.proposed is None:
                plan.proposed = on - dt.timedelta(days=400)
            for _ in range(4):
                task.dates = self.dates(task)
                shift = (on - task.dates[stop]).days
                if shift == 0:
                    break
                plan.proposed = self.wd(plan.proposed + dt.timedelta(days=shift))
                if plan.start:
                    plan.start += dt.timedelta(days=shift)
        task.dates = self.dates(task)
        task.leader = self.person()
        if plan.rival:
            task.rival_leader = self.person()
        task.host_user = self.hosts[plan.host][1]
        return task

    def fit_end(self, task: Task, stop: str, on: dt.date) -> None:
        """For a task with a fixed start: the end date that puts step `stop` on the day `on`,
        reached by an approved extension of up to 12 months beyond 36 months when needed
        (TT 04/2015 Đ12)."""
        p = task.plan
        for _ in range(3):
            t = self.dates(task)
            target = t["last"] + (on - t[stop])
            base = shift_months(t["start"], 36) - DAY
            if target <= base:
                p.end, p.extended_to = target, None
            elif target <= shift_months(base, 12):
                p.end, p.extended_to = base, target
            else:
                p.end, p.extended_to = shift_months(target, -12), target
        task.dates = self.dates(task)

    # --- one step ---------------------------------------------------------------------------------

    def act(self, user, task: Task, action: str, day: dt.date, remark: str = "", **data) -> None:
        from khcn.workflow.engine import perform

        day = self.on(day)
        values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
        with self.travel(day):
            perform(
                user=user,
                process=task.project.process,
                action=action,
                data=values,
                remark=remark,
                today=day,
            )
        self.refresh(task)

    def refresh(self, task: Task) -> None:
        from khcn.projects.models import Project

        # not the rule set: its definition is a large JSON document, read only when needed
        task.project = Project.objects.select_related("process", "agency").get(pk=task.project.pk)

    def attach(self, user, owner, title: str, filename: str, day: dt.date, category="report"):
        from khcn.core.services import attachment_create

        with self.travel(self.on(day)):
            return attachment_create(
                actor=user,
                agency=self.agency,
                title=title,
                category=category,
                upload=NamedBytes(minimal_pdf(fold(title)[:90]), filename),
                owner=owner,
            )

    def walk(self, task: Task, until: str | None = None) -> Task:
        """Take the task's next steps up to and including `until` (to the end by default)."""
        p = task.plan
        steps = self.CALL_STEPS if p.call is not None else self.DIRECT_STEPS
        steps = steps + self.COMMON_STEPS
        steps += self.FAIL_STEPS if p.rating == "KHONG_DAT" else self.PASS_STEPS
        if not p.closes and "close" in steps:
            steps.remove("close")
        stop = len(steps) if until is None else steps.index(until) + 1
        while task.done < stop:
            getattr(self, f"step_{steps[task.done]}")(task)
            task.done += 1
        return task

    # --- councils ---------------------------------------------------------------------------------

    def seat(self, project, size: int, prefer=()) -> list:
        """`size` experts with no tie to the task: nobody from the host, the proposer or an
        applicant (NĐ 08/2014 Đ33); the pool rotates so that councils differ."""
        from khcn.projects.models import identity_key

        orgs = {project.host_key, identity_key(project.proposer_org)}
        orgs |= {a.organisation_key for a in project.applications.all()}
        rest = self.experts[self._rotation :] + self.experts[: self._rotation]
        self._rotation = (self._rotation + 4) % len(self.experts)
        pool = list(prefer) + [e for e in rest if e not in prefer]
        chosen = [e for e in pool if identity_key(e.organisation) not in orgs][:size]
        if len(chosen) < size:
            raise RuntimeError(f"Không đủ chuyên gia không xung đột lợi ích cho {project.code}.")
        return chosen

    def council(self, task: Task, kind: str, day: dt.date, meeting: dt.date, *, size=7, prefer=()):
        from khcn.councils.models import MemberRole
        from khcn.councils.services import council_form

        roles = [
            MemberRole.CHAIR,
            MemberRole.VICE_CHAIR,
            MemberRole.REVIEWER,
            MemberRole.REVIEWER,
            MemberRole.SECRETARY,
        ]
        seats = []
        for i, expert in enumerate(self.seat(task.project, size, prefer)):
            degree = DEGREE.match(expert.full_name)
            role = roles[i] if i < len(roles) else MemberRole.MEMBER
            seats.append((expert, role, degree.group(1) if degree else ""))
        day = self.on(day)
        with self.travel(day):
            return council_form(
                actor=self.staff,
                project=task.project,
                kind=kind,
                decision_no=self.number("QĐ-SKHCN", day),
                decision_date=day,
                meeting_date=meeting,
                meeting_place=self.place,
                members=seats,
            )

    def open(self, council, day: dt.date):
        from khcn.councils.services import council_open

        with self.travel(self.on(day)):
            return council_open(actor=self.staff, council=council)

    def vote(self, council, day: dt.date, ballot: Callable, members, *, declare_only=()) -> None:
        """Each member declares no conflict of interest, then (unless in `declare_only`) votes."""
        from khcn.councils.services import ballot_submit, conflict_declare

        with self.travel(self.on(day)):
            for i, member in members:
                conflict_declare(actor=member.expert, member=member, has_conflict=False)
                if i in declare_only:
                    continue
                for application, payload in ballot(i, member):
                    ballot_submit(
                        actor=member.expert,
                        council=council,
                        payload=payload,
                        application=application,
                    )

    def conclude(self, council, day: dt.date, *, absent=()):
        from khcn.councils.services import attendance_record, council_close

        members = list(council.members.filter(removed_at__isnull=True).order_by("pk"))
        with self.travel(self.on(day)):
            attendance_record(
                actor=self.staff,
                council=council,
                present={m.pk: i not in absent for i, m in enumerate(members)},
            )
            council_close(actor=self.staff, council=council)
        council.refresh_from_db()
        return council

    def run_council(
        self,
        council,
        opened: dt.date,
        ballot: Callable,
        *,
        voters=None,
        close=True,
        absent=(),
        declare_only=(),
    ):
        """Open the council; two days before the meeting the members (the first `voters`, all
        by default) declare no conflict and vote (but not the absent ones nor those in
        `declare_only`); at the meeting the roll call and the conclusion (when `close`)."""
        self.open(council, opened)
        members = list(council.members.filter(removed_at__isnull=True).order_by("pk"))
        voters = len(members) if voters is None else voters
        vote_day = max(self.on(council.meeting_date - dt.timedelta(days=2)), opened)
        silent = set(absent) | set(declare_only)
        self.vote(council, vote_day, ballot, list(enumerate(members))[:voters], declare_only=silent)
        return self.conclude(council, council.meeting_date, absent=absent) if close else council

    def identification_council(self, task: Task, *, yes=None, size=7, prefer=(), **work):
        t = task.dates
        council = self.council(
            task, "identification", t["identify"], t["identify_meeting"], size=size, prefer=prefer
        )
        yes = size if yes is None else yes
        return self.run_council(
            council, t["identify"], lambda i, m: [(None, {"verdict": i < yes})], **work
        )

    def selection_council(self, task: Task, *, size=7, prefer=(), **work):
        from khcn.projects import services

        t = task.dates
        with self.travel(self.on(t["open_dossiers"])):
            for application in task.applications:
                services.application_review(
                    actor=self.staff, application=application, complete=True
                )
        council = self.council(
            task, "selection", t["selection"], t["selection_meeting"], size=size, prefer=prefer
        )
        winner = task.applications[0].pk
        rng = random.Random(task.project.pk)

        def sheet(strong: bool) -> dict:
            base = SCORES_WINNER if strong else SCORES_OTHER
            return {k: str(v + rng.choice((-0.5, 0, 0, 0.5))) for k, v in base.items()}

        return self.run_council(
            council,
            t["selection"],
            lambda i, m: [(a, {"scores": sheet(a.pk == winner)}) for a in task.applications],
            **work,
        )

    def acceptance_ballot(self, task: Task) -> Callable:
        """Member i rates every product (quantity, volume, quality) and the report: for
        "Xuất sắc" all but one member say so, for "Đạt" two do, for "Không đạt" four of seven
        (more than a third) say the task fails (TT 11/2014 Đ13)."""
        rating = task.plan.rating
        products = list(task.project.products.all())

        def verdict(i: int) -> str:
            if rating == "XUAT_SAC":
                return "DAT" if i == 6 else "XUAT_SAC"
            if rating == "KHONG_DAT":
                return "KHONG_DAT" if i in (0, 2, 3, 5) else "DAT"
            return "XUAT_SAC" if i in (1, 4) else "DAT"

        def ballot(i, member):
            r = verdict(i)
            aspects = {"quantity": r, "volume": r, "quality": r}
            return [(None, {"products": {str(p.pk): aspects for p in products}, "report": r})]

        return ballot

    # --- the steps ----------------------------------------------------------------------------------

    def step_propose(self, task: Task) -> None:
        from khcn.projects import services

        p, day = task.plan, self.on(task.dates["propose"])
        year = p.year or (p.call.year if p.call else task.dates["approve"].year)
        with self.travel(day):
            task.project = services.proposal_submit(
                actor=p.proposer_user or self.staff,
                agency=self.agency,
                title=p.title,
                problem=_problem(p),
                objectives=_objectives(p),
                expected_products="; ".join(n for n, _u, _q in PRODUCTS[p.kind]) + ".",
                application_place=_place(p),
                proposer_org=p.proposer,
                year=max(year, day.year),
                kind=p.kind,
                field=p.field,
                programme=p.programme,
                ruleset=self.ruleset,
                today=day,
            )
        self.refresh(task)

    def step_identify(self, task: Task) -> None:
        self.identification_council(task)

    def step_order(self, task: Task) -> None:
        day = self.on(task.dates["order"])
        self.act(
            self.leader,
            task,
            "order",
            day,
            decision_no=self.number("QĐ-SKHCN", day),
            decision_date=day,
        )

    def step_assign(self, task: Task) -> None:
        from khcn.projects import services

        day = self.on(task.dates["assign"])
        org, user = self.hosts[task.plan.host]
        self.act(
            self.leader,
            task,
            "assign_directly",
            day,
            remark=f"Giao trực tiếp cho {org}, đơn vị làm chủ công nghệ và có kết quả nghiên cứu "
            "trước đó phù hợp (TT 20/2023 Đ17).",
            decision_no=self.number("QĐ-UBND", day),
        )
        with self.travel(day):
            services.direct_assign_host(
                actor=self.staff,
                project=task.project,
                host_user=user,
                host_org=org,
                leader_name=task.leader,
            )
            services.budget_set(actor=self.staff, project=task.project, lines=_budget(task.plan))
        self.refresh(task)

    def step_apply(self, task: Task) -> None:
        applicants = [(task.plan.host, task.leader)]
        if task.plan.rival:
            applicants.append((task.plan.rival, task.rival_leader))
        for n, (host, leader) in enumerate(applicants):
            task.applications.append(self.apply(task, host, leader, n))

    def apply(self, task: Task, host: str, leader: str, n: int = 0):
        from khcn.projects import services

        org, user = self.hosts[host]
        plan = task.plan
        day = self.on(self.wd(task.dates["apply"] + dt.timedelta(days=3 * n)))
        degree = DEGREE.match(leader).group(1)
        with self.travel(day):
            return services.application_submit(
                actor=user,
                project=task.project,
                organisation=org,
                leader_name=leader,
                leader_degree=degree,
                summary=_summary(plan, org),
                months=plan.months,
                budget_lines=_budget(plan, scale=1.0 if n == 0 else 1.1),
                team=[
                    {"name": leader, "role": "Chủ nhiệm", "degree": degree},
                    {"name": self.person(), "role": "Thư ký khoa học", "organisation": org},
                    {"name": self.person(), "role": "Thành viên chính", "organisation": org},
                ],
                description_file=NamedBytes(
                    minimal_pdf(fold("Thuyet minh: " + plan.title)[:90]), "thuyet-minh.pdf"
                ),
                cv_files={
                    0: NamedBytes(minimal_pdf(fold("Ly lich khoa hoc: " + leader)), "ly-lich.pdf")
                },
                today=day,
            )

    def step_open_dossiers(self, task: Task) -> None:
        day = self.on(task.dates["open_dossiers"])
        self.act(self.staff, task, "open_dossiers", day, opened_date=day)

    def step_selection(self, task: Task) -> None:
        self.selection_council(task)

    def step_score(self, task: Task) -> None:
        self.act(self.staff, task, "score", task.dates["score"])

    def step_revise(self, task: Task) -> None:
        self.act(self.staff, task, "request_revision", task.dates["revise"])

    def step_appraise(self, task: Task) -> None:
        day = self.on(task.dates["appraise"])
        self.act(
            self.staff,
            task,
            "appraise_budget",
            day,
            appraisal_date=day,
            appraised_budget=int(task.project.budget_state),
        )

    def step_approve(self, task: Task) -> None:
        from khcn.projects import services

        t = task.dates
        day = self.on(t["approve"])
        self.act(
            self.leader,
            task,
            "approve",
            day,
            decision_no=self.number("QĐ-UBND", day),
            start_date=t["start"],
            end_date=t["end"],
            budget=int(task.project.budget_state),
        )
        with self.travel(day):
            for name, unit, quantity in PRODUCTS[task.plan.kind]:
                services.product_add(
                    actor=self.staff, project=task.project, name=name, unit=unit, quantity=quantity
                )

    def tranches(self, task: Task) -> list[dict]:
        t, budget = task.dates, int(task.project.budget_state)
        first = second = budget * 4 // 10 // 1_000_000 * 1_000_000
        return [
            {
                "milestone": "Tạm ứng sau khi ký hợp đồng",
                "planned_date": t["contract"],
                "amount": first,
            },
            {
                "milestone": "Sau kiểm tra giữa kỳ đạt yêu cầu",
                "planned_date": t["middle"],
                "amount": second,
            },
            {
                "milestone": "Sau nghiệm thu cấp thành phố",
                "planned_date": max(t["rate"], t["middle"]),
                "amount": budget - first - second,
            },
        ]

    def step_contract(self, task: Task) -> None:
        from khcn.projects import services

        day = self.on(task.dates["contract"])
        with self.travel(day):
            services.contract_register(
                actor=self.staff,
                project=task.project,
                number=self.number("HĐ-KHCN", day, with_year=True),
                signed_date=day,
                tranches=self.tranches(task),
                host_representative=task.leader,
                today=day,
            )
        self.refresh(task)

    def step_start(self, task: Task) -> None:
        self.act(task.host_user, task, "start", task.dates["start"])
        self.pay(task, 1, task.dates["start"] + dt.timedelta(days=6))

    def pay(self, task: Task, seq: int, day: dt.date) -> None:
        from khcn.projects import services

        tranche = task.project.contract.tranches.get(seq=seq)
        day = self.on(self.wd(max(day, tranche.planned_date)))
        with self.travel(day):
            services.disbursement_record(
                actor=self.staff,
                tranche=tranche,
                kind="advance" if seq == 1 else "payment",
                amount=int(tranche.amount),
                paid_on=day,
                reference=f"Ủy nhiệm chi số {self.rng.randint(100, 999)}/KBNN",
            )

    def step_run(self, task: Task) -> None:
        """While the task runs, in date order: six-monthly progress reports, the mid-term
        inspection and the second tranche, an approved budget change, an extension."""
        t, p = task.dates, task.plan
        until = min(t["end"], self.today)
        events = []
        for month in (6, 12, 18):
            day = self.wd(shift_months(t["start"], month))
            if day <= until:
                events.append((day, self.report, {"month": month}))
        if t["middle"] <= until:
            events.append((t["middle"], self.inspect, {}))
        if p.change and shift_months(t["start"], 7) < until:
            events.append((self.wd(shift_months(t["start"], 7)), self.budget_change, {}))
        if p.extension or p.extended_to:
            events.append((self.wd(t["end"] - dt.timedelta(days=50)), self.extend, {}))
        for day, fn, kwargs in sorted(events, key=lambda e: e[0]):
            fn(task, day, **kwargs)

    def report(self, task: Task, day: dt.date, *, month: int) -> None:
        from khcn.projects import services

        t = task.dates
        progress = min(
            95, round(100 * (day - t["start"]).days / max(1, (t["last"] - t["start"]).days))
        )
        budget = int(task.project.budget_state)
        with self.travel(self.on(day)):
            services.progress_report_submit(
                actor=task.host_user,
                project=task.project,
                period=_period(day),
                progress=progress,
                content=_progress_text(progress),
                spent=budget * progress // 100 // 1_000_000 * 1_000_000,
            )

    def inspect(self, task: Task, day: dt.date, *, record=True) -> None:
        from khcn.projects import services

        day = self.on(day)
        notice = self.cal.add_working_days(day, -7)
        with self.travel(notice):
            visit = services.inspection_schedule(
                actor=self.staff,
                project=task.project,
                scheduled_on=day,
                inspectors="Phòng Quản lý khoa học và Phòng Kế hoạch – Tài chính, Sở KH&CN",
                noticed_on=notice,
            )
        if not record:
            return
        with self.travel(day):
            services.inspection_record(
                actor=self.staff,
                inspection=visit,
                done_on=day,
                findings="Nội dung thực hiện đúng thuyết minh; khối lượng công việc và kinh phí đã "
                "sử dụng phù hợp tiến độ; sản phẩm trung gian đạt yêu cầu.",
                conclusion="on_track",
            )
        self.pay(task, 2, day + dt.timedelta(days=7))

    def budget_change(self, task: Task, day: dt.date, *, decide=True):
        from khcn.projects import services

        day = self.on(day)
        move = max(20, int(task.project.budget_state) // 20 // 1_000_000) * 1_000_000
        with self.travel(day):
            change = services.change_request_submit(
                actor=task.host_user,
                project=task.project,
                kind="budget",
                reason="Giá vật tư, hóa chất tăng so với thời điểm lập dự toán; đề nghị điều "
                "chuyển một phần kinh phí công lao động sang nguyên vật liệu.",
                moves=[{"from": "labour/state", "to": "materials/state", "amount": move}],
                today=day,
            )
        self.refresh(task)
        if decide:
            later = self.on(self.wd(day + dt.timedelta(days=9)))
            with self.travel(later):
                services.change_request_decide(
                    actor=self.leader,
                    change=change,
                    approve=True,
                    decision_no=self.number("SKHCN-QLKH", later),
                    today=later,
                )
            self.refresh(task)
        return change

    def extend(self, task: Task, day: dt.date, *, months: int = 0, decide=True):
        from khcn.projects import services

        day = self.on(day)
        p = task.plan
        new_end = p.extended_to if p.extended_to and not months else None
        new_end = new_end or shift_months(task.dates["end"], months or p.extension)
        with self.travel(day):
            change = services.change_request_submit(
                actor=task.host_user,
                project=task.project,
                kind="extension",
                reason="Thời tiết bất thường làm chậm đợt thí nghiệm ngoài hiện trường; cần thêm "
                "thời gian để hoàn thành đánh giá sản phẩm.",
                new_end_date=new_end,
                today=day,
            )
        self.refresh(task)
        if decide:
            later = self.on(self.wd(day + dt.timedelta(days=10)))
            with self.travel(later):
                services.change_request_decide(
                    actor=self.leader, change=change, approve=True, today=later
                )
            self.refresh(task)
        return change

    def step_internal(self, task: Task) -> None:
        day = self.on(task.dates["internal"])
        self.act(
            task.host_user,
            task,
            "internal_acceptance",
            day,
            internal_acceptance_date=self.cal.add_working_days(day, -2),
        )

    def step_submit(self, task: Task) -> None:
        day = task.dates["submit"]
        self.attach(
            task.host_user,
            task.project.process,
            "Báo cáo tổng hợp kết quả thực hiện nhiệm vụ",
            "bao-cao-tong-hop.pdf",
            day,
        )
        self.act(task.host_user, task, "submit_acceptance_dossier", day)

    def step_validate(self, task: Task) -> None:
        self.act(self.staff, task, "accept_dossier", task.dates["validate"])

    def step_acc_form(self, task: Task, **kwargs) -> None:
        t = task.dates
        task.acceptance = self.council(task, "acceptance", t["acc_form"], t["evaluate"], **kwargs)
        self.refresh(task)

    def step_form_council(self, task: Task) -> None:
        council = task.acceptance
        self.act(
            self.leader,
            task,
            "form_council",
            task.dates["form_council"],
            council_decision_no=council.decision_no,
            council_decision_date=council.decision_date,
        )

    def step_evaluate(self, task: Task, **work) -> None:
        opened = self.cal.add_working_days(task.dates["form_council"], 1)
        self.run_council(task.acceptance, opened, self.acceptance_ballot(task), **work)

    def step_rate(self, task: Task) -> None:
        action = "rate_fail" if task.plan.rating == "KHONG_DAT" else "rate_pass"
        self.act(self.staff, task, action, task.dates["rate"])

    def step_finalise(self, task: Task) -> None:
        day = task.dates["finalise"]
        data = {}
        if self.ruleset == "hn-05-2021":  # QĐ 05/2021: a confirmed application address
            data = {
                "application_address": _place(task.plan),
                "application_confirmed_by": task.plan.proposer,
            }
        self.act(task.host_user, task, "finalise_dossier", day, **data)
        self.pay(task, 3, day + dt.timedelta(days=2))

    def step_register(self, task: Task) -> None:
        day = self.on(task.dates["register"])
        self.act(
            self.staff,
            task,
            "register_result",
            day,
            registration_no=self.number("KQNV-SKHCN", day, with_year=True),
            registration_date=day,
        )

    def step_recognise(self, task: Task) -> None:
        day = self.on(task.dates["recognise"])
        self.act(
            self.leader,
            task,
            "recognise",
            day,
            recognition_no=self.number("QĐ-SKHCN", day),
            recognition_date=day,
        )

    def step_hand_over(self, task: Task) -> None:
        self.act(
            task.host_user,
            task,
            "hand_over_assets",
            task.dates["hand_over"],
            remark="Đề nghị giao thiết bị, mẫu vật cho tổ chức chủ trì tiếp tục khai thác.",
        )

    def step_settle(self, task: Task) -> None:
        self.act(
            self.staff,
            task,
            "settle",
            task.dates["settle"],
            settled_amount=int(task.project.process.data.get("disbursed_total", 0)),
        )

    def step_liquidate(self, task: Task) -> None:
        day = self.on(task.dates["liquidate"])
        self.act(self.staff, task, "liquidate", day, liquidation_date=day)

    def step_monitor(self, task: Task) -> None:
        self.act(self.staff, task, "monitor_application", task.dates["monitor"])

    def step_report_use(self, task: Task) -> None:
        from khcn.projects import services

        day = self.on(task.dates["report_use"])
        with self.travel(day):
            services.application_report_submit(
                actor=task.host_user,
                project=task.project,
                place=_place(task.plan),
                confirmed_by=task.plan.proposer,
                description="Kết quả đã được chuyển giao và áp dụng; đơn vị tiếp nhận xác nhận "
                "hiệu quả kinh tế – xã hội.",
                reported_on=day,
            )

    def step_close(self, task: Task) -> None:
        self.act(self.staff, task, "close", task.dates["close"])

    def step_refund(self, task: Task) -> None:
        disbursed = int(task.project.process.data.get("disbursed_total", 0))
        self.act(
            self.leader,
            task,
            "set_refund",
            task.dates["refund"],
            remark="Thu hồi kinh phí ngân sách đã cấp theo TT 11/2014 Đ16.",
            refund_amount=disbursed * 7 // 10 // 1_000_000 * 1_000_000,
        )

    def step_liquidate_failed(self, task: Task) -> None:
        day = self.on(task.dates["liquidate_failed"])
        self.act(self.staff, task, "liquidate_failed", day, liquidation_date=day)

    # --- calls ------------------------------------------------------------------------------------

    def open_call(self, call: Call, tasks: list[Task]) -> None:
        from khcn.projects import services

        day = self.on(call.open)
        with self.travel(day):
            call.record = services.call_open(
                actor=self.staff,
                agency=self.agency,
                code=call.code,
                title=call.title,
                year=call.year,
                open_date=call.open,
                close_date=call.close,
                projects=[t.project for t in tasks],
                decision_no=self.number("QĐ-UBND", day),
                today=day,
            )
        for task in tasks:
            self.refresh(task)

    def through_call(self, call: Call, tasks: list[Task], until: str | None = None) -> None:
        """Tasks of one call: each to its order, the call, then each on (to `until`)."""
        for task in tasks:
            self.walk(task, "order")
        self.open_call(call, tasks)
        for task in tasks:
            self.walk(task, until)


SCORES_WINNER = {
    "prior": 10,
    "content": 20,
    "products": 13.5,
    "applicability": 13,
    "feasibility": 13,
    "capacity": 13.5,
}
SCORES_OTHER = {
    "prior": 8,
    "content": 16,
    "products": 11,
    "applicability": 11,
    "feasibility": 11.5,
    "capacity": 11,
}


# --- texts ----------------------------------------------------------------------------------------


def _subject(plan: Plan) -> str:
    title = plan.title
    for prefix in (
        "Nghiên cứu ",
        "Xây dựng, quản lý và phát triển ",
        "Tạo lập, quản lý và phát triển ",
        "Quản lý và phát triển ",
        "Hoàn thiện ",
        "Ứng dụng ",
        "Xây dựng ",
        "Đánh giá ",
    ):
        if title.startswith(prefix):
            return title[len(prefix) :]
    return title[0].lower() + title[1:]


def _problem(plan: Plan) -> str:
    return (
        f"Thực tiễn quản lý và sản xuất tại địa phương cần {_subject(plan)}; các giải pháp "
        "đang áp dụng chưa đáp ứng yêu cầu về hiệu quả và chi phí."
    )


def _objectives(plan: Plan) -> str:
    return f"{plan.title}; chuyển giao kết quả cho đơn vị đặt hàng ứng dụng."


def _place(plan: Plan) -> str:
    return f"{plan.proposer} và các đơn vị liên quan trên địa bàn"


def _summary(plan: Plan, org: str) -> str:
    return (
        f"{org} tiếp cận hệ thống, kết hợp khảo sát thực địa, thí nghiệm và mô hình trình diễn "
        f"để {_subject(plan)}."
    )


def _period(day: dt.date) -> str:
    return f"6 tháng {'đầu' if 3 <= day.month <= 8 else 'cuối'} năm {day.year if day.month > 2 else day.year - 1}"


def _progress_text(progress: int) -> str:
    return (
        f"Đã hoàn thành khoảng {progress}% khối lượng theo thuyết minh: khảo sát, thu thập số liệu "
        "và các thí nghiệm theo kế hoạch; kinh phí sử dụng đúng dự toán."
    )


def _budget(plan: Plan, scale: float = 1.0) -> list[dict]:
    """Budget lines by category and source: the state budget split the way a task of its kind
    spends it, the host's own money on equipment and materials."""
    shares = {
        TOPIC: [
            ("labour", 45),
            ("materials", 25),
            ("equipment", 12),
            ("services", 13),
            ("other", 5),
        ],
        SCHEME: [("labour", 55), ("services", 35), ("other", 10)],
        PILOT: [("materials", 40), ("equipment", 30), ("labour", 20), ("services", 10)],
        PROJECT: [("labour", 35), ("services", 50), ("other", 15)],
    }[plan.kind]
    state = int(plan.budget * scale) // 1_000_000 * 1_000_000
    rows, total = [], 0
    for category, share in shares[1:]:
        amount = state * share // 100 // 1_000_000 * 1_000_000
        rows.append({"category": category, "source": "state", "amount": amount})
        total += amount
    rows.insert(0, {"category": shares[0][0], "source": "state", "amount": state - total})
    if plan.other:
        equipment = plan.other * 6 // 10 // 1_000_000 * 1_000_000
        rows.append({"category": "equipment", "source": "other", "amount": equipment})
        rows.append({"category": "materials", "source": "other", "amount": plan.other - equipment})
    return rows


# --- the people the tasks need ---------------------------------------------------------------------


def _make_people(hp, hn) -> dict:
    """Host contacts, more experts (Hải Phòng and Hà Nội) and an ordering agency's contact, as
    demo users with the demo password (the hash of an existing demo user, not recomputed)."""
    from khcn.accounts.models import Role, User
    from khcn.accounts.services import membership_grant

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    operator, password = users["vanhanh"], users["chutri"].password

    def make(username, name, org, position, agency, role):
        if username in users:
            return users[username]
        user = User(
            username=username,
            full_name=name,
            organisation=org,
            position=position,
            email=f"{username.replace('.', '-')}@{agency.code}.khcn.local",
            password=password,
            is_demo=True,
        )
        user.save()
        membership_grant(actor=operator, user=user, agency=agency, role=role)
        users[username] = user
        return user

    hp_hosts = {
        key: (org, make(username, name, org, position, hp, Role.HOST))
        for key, (org, username, name, position) in HP_HOSTS.items()
    }
    hn_hosts = {
        key: (org, make(username, name, org, position, hn, Role.HOST))
        for key, (org, username, name, position) in HN_HOSTS.items()
    }
    for username, name, org, position in HP_EXPERTS_EXTRA:
        make(username, name, org, position, hp, Role.EXPERT)
    hn_experts = [make(u, n, o, p, hn, Role.EXPERT) for u, n, o, p in HN_EXPERTS]
    username, name, org, position = HP_PROPOSER
    make(username, name, org, position, hp, Role.PUBLIC)
    hp_experts = [users[f"chuyengia{n}"] for n in range(1, 15)]
    return {
        "users": users,
        "hp_hosts": hp_hosts,
        "hn_hosts": hn_hosts,
        "hp_experts": hp_experts,
        "hn_experts": hn_experts,
    }


# --- Hải Phòng: the portfolio behind the 2022 report ---------------------------------------------


def _hai_phong_history(w: Walker, programme) -> None:
    """19 tasks accepted in 2022 (approved 2020–2021), 30 approved and started in 2022,
    17 approved in late 2022 and started in 2023. The first two groups and four of the last
    are finished (closed, or their results still monitored; one failed in 2023 and repaid
    part of its funding); the other 13 of the last ran 36 months, some extended, and are now
    at the acceptance steps (`LONG_2022`), their last steps dated from today."""
    rng = random.Random(2022)
    # state budgets in millions of đồng: 350 million – 2.95 billion
    budgets = [350, 420, 480, 550, 600, 680, 750, 850, 900, 950, 1100, 1250, 1400, 1650, 1900,
               2200, 2600, 2950]  # fmt: skip
    calls = {
        2020: Call(
            "TC-2020",
            "Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm 2020",
            2020,
            D(2019, 10, 7),
            D(2019, 11, 15),
        ),
        2021: Call(
            "TC-2021",
            "Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm 2021",
            2021,
            D(2020, 10, 5),
            D(2020, 11, 13),
        ),
        2022: Call(
            "TC-2022",
            "Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm 2022",
            2022,
            D(2021, 10, 4),
            D(2021, 11, 12),
        ),
        2023: Call(
            "TC-2023",
            "Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm 2023 (đợt 1)",
            2023,
            D(2022, 6, 6),
            D(2022, 7, 15),
        ),
    }
    accepted = HISTORY[:18] + [(IP_PROJECTS[0][0], SOC, "ungdung", IP_PROJECTS[0][1])]
    started = HISTORY[18:46] + [(t, SOC, "ungdung", p) for t, p in IP_PROJECTS[1:3]]
    later = [(*row, None, 0, "DAT") for row in HISTORY[46:]]
    later += [(IP_PROJECTS[3][0], SOC, "ungdung", IP_PROJECTS[3][1], None, 0, "DAT"), *LONG_2022]
    rivals = ["dhhp", "hanghai", "haisan", "tnmtbien", "yduoc"]
    plans: list[Plan] = []

    def plan(row, n, *, approve, start, months, cohort_year, rating="DAT", closes=True):
        title, fld, host, proposer = row
        ip = title in {t for t, _p in IP_PROJECTS}
        kind = PROJECT if ip else (SCHEME if fld in (SOC, HUM) and n % 3 == 0 else TOPIC)
        by_call = not ip and n % 4 == 0 and host not in {"moitruong"}
        budget = (rng.choice(budgets[:6]) if ip else rng.choice(budgets)) * 1_000_000
        rival = rng.choice([r for r in rivals if r != host]) if by_call and n % 8 == 0 else ""
        return Plan(
            title=title,
            field=fld,
            host=host,
            proposer=proposer,
            kind=kind,
            year=cohort_year,
            budget=budget,
            other=budget // 5 if host in {"tienphong", "dap"} else 0,
            months=months,
            call=calls[cohort_year] if by_call else None,
            rival=rival,
            approve=approve,
            start=start,
            rating=rating,
            closes=closes,
            programme=programme if ip else None,
            change=n % 7 == 3,
            extension=6 if n % 11 == 5 and months <= 24 else 0,
        )

    for n, row in enumerate(accepted):  # approved 2020–2021, accepted in 2022
        if n < 9:
            approve = D(2020, 3, 2) + dt.timedelta(days=19 * n)
            months = 24
            cohort = 2020
        else:
            approve = D(2021, 1, 18) + dt.timedelta(days=16 * (n - 9))
            months = rng.choice([12, 15])
            cohort = 2021
        start = approve + dt.timedelta(days=25 + n % 4 * 5)
        p = plan(
            row,
            n,
            approve=approve,
            start=start,
            months=months,
            cohort_year=cohort,
            rating="XUAT_SAC" if n % 5 == 2 else "DAT",
        )
        p.extension = 0  # accepted within 2022
        plans.append(p)
    for n, row in enumerate(started):  # approved and started in 2022
        approve = D(2022, 2, 14) + dt.timedelta(days=7 * n)
        host = row[2]
        plans.append(
            plan(
                row,
                n,
                approve=approve,
                start=approve + dt.timedelta(days=24 + n % 3 * 4),
                months=rng.choice([12, 18, 18, 24]),
                cohort_year=2022,
                rating="KHONG_DAT"
                if host == "moitruong"
                else ("XUAT_SAC" if n % 6 == 4 else "DAT"),
                closes=n % 4 != 0,
            )
        )
    stops = {}
    for n, (*row, stop, days, rating) in enumerate(later):  # approved late 2022, started 2023
        approve = D(2022, 10, 3) + dt.timedelta(days=4 * n)
        p = plan(
            row,
            n,
            approve=approve,
            start=D(2023, 1, 9) + dt.timedelta(days=4 * n),
            months=rng.choice([18, 24]),
            cohort_year=2023,
            closes=n != 1,
            rating=rating,
        )
        p.extension, p.change = 0, n % 5 == 2
        if stop:
            stops[p.title] = (stop, w.ago(days))
        plans.append(p)
    tasks = [w.plan(p) for p in plans]
    for t in tasks:
        if t.plan.title in stops:
            w.fit_end(t, *stops[t.plan.title])
    for call in calls.values():
        group = [t for t in tasks if t.plan.call is call]
        w.through_call(call, group, until="order")  # the proposals, the councils, the call
        for t in group:  # each winner on to its approval
            w.walk(t, "approve")
    for t in tasks:
        w.walk(t, stops.get(t.plan.title, (None,))[0])
        if t.plan.title == LONG_2022[5][0]:  # the dossier lacks documents: back to the host
            w.act(
                w.staff,
                t,
                "request_dossier_fix",
                w.cal.add_working_days(t.dates["submit"], 2),
                remark="Thiếu báo cáo quyết toán kinh phí và biên bản nghiệm thu cơ sở có đủ chữ ký.",
            )


# --- Hải Phòng: live tasks, in every state of vn-2013 ------------------------------------------


def _hai_phong_live(w: Walker, programme, people) -> None:
    """The tasks at the other steps of the rule set, dated from today, so that each person of
    the department has work waiting: proposals and their identification councils, calls,
    applications and selection councils, approval and contract, tasks running (money,
    reports, an inspection to record, a change and an extension waiting for the leader, a
    suspension, a termination), the phosphogypsum pilot project before its acceptance
    council, a programme project recognised."""
    users = people["users"]
    ago = w.ago
    T = w.today
    cg = {n: users[f"chuyengia{n}"] for n in range(1, 15)}

    def task(title, fld, host, proposer, *, stop=None, on=None, **kw) -> Task:
        return w.plan(
            Plan(title=title, field=fld, host=host, proposer=proposer, **kw), stop=stop, on=on
        )

    def live(stop, on, title, fld, host, proposer, **kw) -> Task:
        """A task whose step `stop` was taken on the day `on`, and nothing after it."""
        return w.walk(task(title, fld, host, proposer, stop=stop, on=on, **kw), stop)

    # --- proposals and identification (TT 06/2023) --------------------------------------------
    t = task(
        "Nghiên cứu phát triển mô hình nuôi cá lồng bằng vật liệu HDPE chịu sóng gió tại vùng biển hở Bạch Long Vĩ",
        AGR,
        "haisan",
        "UBND đặc khu Bạch Long Vĩ",
        proposed=ago(12),
    )
    w.walk(t, "propose")
    t.dates["identify"], t.dates["identify_meeting"] = ago(4), w.wd(T + dt.timedelta(days=3))
    # six members have declared no conflict, four of them voted; three have not opened it
    seats = [cg[n] for n in (5, 6, 7, 8, 9, 1, 2, 3, 4)]
    w.identification_council(t, size=9, prefer=seats, voters=6, declare_only=(4, 5), close=False)
    t = task(
        "Ứng dụng trí tuệ nhân tạo dự báo ùn tắc giao thông khu vực nội đô Hải Phòng",
        ENG,
        "hanghai",
        "Sở Xây dựng Hải Phòng",
        proposed=ago(7),
        proposer_user=users["dathang"],
    )
    w.walk(t, "propose")
    w.council(t, "identification", ago(1), w.wd(T + dt.timedelta(days=9)), size=9)  # forming
    t = task(
        "Hoàn thiện quy trình sản xuất giống cá song chấm nâu tại Cát Bà",
        AGR,
        "haisan",
        "UBND đặc khu Cát Hải",
        proposed=ago(36),
    )
    w.walk(t, "identify")  # recommended; the leader has not decided: past the 30-day limit
    t = task(
        "Nghiên cứu sản xuất gạch men từ bùn nạo vét luồng hàng hải",
        ENG,
        "hanghai",
        "Cảng vụ Hàng hải Hải Phòng",
        proposed=ago(95),
    )
    w.walk(t, "propose")
    w.identification_council(t, yes=4)
    w.act(
        w.leader,
        t,
        "reject_proposal",
        t.dates["order"],
        remark="Hội đồng tư vấn không đề nghị đặt hàng: sản phẩm đã có trên thị trường, "
        "tính mới chưa cao.",
    )
    t = task(
        "Nghiên cứu ứng dụng thiết bị bay không người lái giám sát cháy rừng tại Vườn quốc gia Cát Bà",
        NAT,
        "tnmtbien",
        "Vườn quốc gia Cát Bà",
        stop="order",
        on=ago(26),
    )
    w.walk(t, "order")

    # --- an open call with applications (TT 20/2023) --------------------------------------------
    call = Call(
        f"TC-{T.year + 1}-BS",
        f"Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm {T.year + 1} (bổ sung)",
        T.year + 1,
        ago(20),
        T + dt.timedelta(days=18),
    )
    open_call = [
        task(
            "Nghiên cứu chế tạo hệ thống xử lý nước dằn tàu đạt tiêu chuẩn IMO D-2",
            ENG,
            "hanghai",
            "Cảng vụ Hàng hải Hải Phòng",
            call=call,
            rival="dhhp",
            year=T.year + 1,
        ),
        task(
            "Nghiên cứu giải pháp quản lý năng lượng thông minh cho các tòa nhà công sở",
            ENG,
            "dhhp",
            "Sở Xây dựng Hải Phòng",
            call=call,
            year=T.year + 1,
        ),
        task(
            "Phát triển sản phẩm du lịch đêm gắn với di sản văn hóa khu phố cổ Hải Phòng",
            SOC,
            "ptpt",
            "Sở Văn hóa, Thể thao và Du lịch Hải Phòng",
            call=call,
            year=T.year + 1,
            kind=SCHEME,
        ),
    ]
    for i, t in enumerate(open_call):
        t.dates["apply"] = ago(15 - 4 * i)
    w.through_call(call, open_call, until="order")
    for t in open_call[:2]:
        w.walk(t, "apply")

    # --- a direct assignment waiting for the revision request ------------------------------------
    t = task(
        "Xây dựng cơ sở dữ liệu số hóa di sản văn hóa thành phố Hải Phòng sau sắp xếp đơn vị hành chính",
        HUM,
        "dhhp",
        "Sở Văn hóa, Thể thao và Du lịch Hải Phòng",
        stop="assign",
        on=ago(3),
    )
    w.walk(t, "assign")

    # --- the selection: scored, council waiting to close, council still scoring ----------------
    call = Call(
        f"TC-{T.year + 1}",
        f"Tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp thành phố năm {T.year + 1} (đợt 1)",
        T.year + 1,
        ago(56),
        ago(16),
    )
    scored, closing, scoring = group = [
        task(
            "Nghiên cứu ứng dụng kỹ thuật PCR đa mồi chẩn đoán nhanh tác nhân gây viêm phổi ở trẻ em",
            MED,
            "treem",
            "Sở Y tế Hải Phòng",
            call=call,
            rival="yduoc",
            year=T.year + 1,
        ),
        task(
            "Nghiên cứu ứng dụng công nghệ sinh học sản xuất chế phẩm probiotic cho nuôi tôm nước lợ",
            AGR,
            "haisan",
            "Sở Nông nghiệp và Môi trường Hải Phòng",
            call=call,
            rival="dhhp",
            year=T.year + 1,
        ),
        task(
            "Nghiên cứu thiết kế, chế tạo trạm quan trắc tự động chất lượng nước nuôi trồng thủy sản",
            ENG,
            "hanghai",
            "Sở Nông nghiệp và Môi trường Hải Phòng",
            call=call,
            rival="tnmtbien",
            year=T.year + 1,
        ),
    ]
    w.through_call(call, group, until="open_dossiers")
    scored.dates.update(selection=ago(14), selection_meeting=ago(7), score=ago(6))
    w.walk(scored, "score")
    closing.dates.update(selection=ago(6), selection_meeting=w.wd(T + DAY))
    w.selection_council(closing, close=False)  # every score sheet in, the meeting tomorrow
    scoring.dates.update(selection=ago(4), selection_meeting=w.wd(T + 4 * DAY))
    seats = [cg[n] for n in (1, 3, 7, 8, 9, 5, 6)]  # not 2 and 4: from applicant organisations
    w.selection_council(scoring, size=7, prefer=seats, voters=5, declare_only=(3, 4), close=False)

    # --- after the selection: revision, appraisal (late), approval, contract ---------------------
    live(
        "revise",
        ago(8),
        "Phát triển sản phẩm OCOP từ rong biển tại đặc khu Cát Hải",
        AGR,
        "haisan",
        "UBND đặc khu Cát Hải",
    )
    live(
        "appraise",
        ago(38),
        "Nghiên cứu giải pháp kè mềm sinh thái bảo vệ bờ sông Văn Úc",
        NAT,
        "tnmtbien",
        "Sở Nông nghiệp và Môi trường Hải Phòng",
    )
    live(
        "approve",
        ago(5),
        "Nghiên cứu ứng dụng robot hỗ trợ phục hồi chức năng chi dưới cho người bệnh sau đột quỵ",
        MED,
        "viettiep",
        "Sở Y tế Hải Phòng",
        budget=1_950_000_000,
    )
    t = task(
        "Nghiên cứu xây dựng bản đồ số nông hóa thổ nhưỡng phục vụ chuyển đổi cơ cấu cây trồng",
        AGR,
        "dhhp",
        "Sở Nông nghiệp và Môi trường Hải Phòng",
        stop="contract",
        on=ago(9),
    )
    t.plan.start = w.wd(T + 12 * DAY)  # the host starts on the agreed day, after today
    t.dates = w.dates(t)
    w.walk(t, "contract")

    # --- running: money, reports, inspections, changes, suspension (TT 04/2015) -------------------
    def running(started: dt.date, title, fld, host, proposer, **kw) -> Task:
        """A task that started on `started` and has run until today (or its end date)."""
        return w.walk(task(title, fld, host, proposer, stop="start", on=started, **kw), "run")

    running(
        ago(300),
        "Nghiên cứu ứng dụng chế phẩm vi sinh xử lý nước thải nuôi trồng thủy sản tại Cát Hải",
        AGR,
        "haisan",
        "UBND đặc khu Cát Hải",
        change=True,
    )
    t = running(
        ago(250),
        "Ứng dụng công nghệ nuôi cấy mô nhân giống hoa lan hồ điệp chất lượng cao",
        AGR,
        "dhhp",
        "Sở Nông nghiệp và Môi trường Hải Phòng",
    )
    w.inspect(t, ago(3), record=False)  # the inspection took place; its result is not recorded yet
    # past its end date and no acceptance dossier: overdue, escalated to the leader
    running(
        shift_months(T - 44 * DAY, -18),
        "Nghiên cứu giải pháp nâng cao hiệu quả khai thác cảng cạn "
        "(ICD) trong chuỗi logistics Hải Phòng",
        SOC,
        "hanghai",
        "Sở Công Thương Hải Phòng",
        kind=SCHEME,
    )
    title, proposer = IP_PROJECTS[5]
    running(
        ago(280),
        title,
        SOC,
        "ungdung",
        proposer,
        kind=PROJECT,
        budget=780_000_000,
        months=18,
        programme=programme,
        year=T.year - 1,
    )
    t = running(
        ago(200),
        "Nghiên cứu chế tạo thiết bị lọc bụi tĩnh điện cho lò hơi công nghiệp cỡ nhỏ",
        ENG,
        "dhhp",
        "Sở Công Thương Hải Phòng",
        months=24,
        budget=1_400_000_000,
    )
    w.budget_change(t, ago(6), decide=False)  # waiting for the leader's written answer
    t = running(
        shift_months(T + 46 * DAY, -18),
        "Nghiên cứu quy trình nhân giống và nuôi thương phẩm cá ngựa đen (Hippocampus kuda)",
        AGR,
        "haisan",
        "UBND đặc khu Cát Hải",
    )
    w.extend(t, ago(4), months=6, decide=False)
    t = running(
        ago(240),
        "Nghiên cứu ứng dụng công nghệ thực tế ảo trong đào tạo thuyền viên",
        ENG,
        "hanghai",
        "Cục Hàng hải Việt Nam",
        months=24,
    )
    w.act(
        w.leader,
        t,
        "suspend",
        ago(20),
        remark="Chủ nhiệm nhiệm vụ đi công tác nước ngoài dài hạn; tạm dừng để tổ chức chủ trì "
        "kiện toàn nhân sự (TT 04/2015 Đ14).",
    )
    t = live(
        "start",
        ago(420),
        "Nghiên cứu sản xuất viên nén nhiên liệu sinh khối từ phụ phẩm nông nghiệp",
        ENG,
        "nangluong",
        "Sở Công Thương Hải Phòng",
        months=24,
    )
    w.report(t, w.wd(shift_months(t.dates["start"], 6)), month=6)
    w.act(
        w.leader,
        t,
        "suspend",
        ago(120),
        remark="Kiểm tra phát hiện tổ chức chủ trì không bố trí đủ nhân lực và vốn đối ứng.",
    )
    paid = int(t.project.process.data.get("disbursed_total", 0))
    w.act(
        w.leader,
        t,
        "terminate",
        ago(60),
        remark="Tổ chức chủ trì không khắc phục được sau thời gian tạm dừng (TT 04/2015 Đ16).",
        refund_amount=paid * 8 // 10 // 1_000_000 * 1_000_000,
    )

    # --- acceptance (TT 11/2014): the 2022 tasks at these steps are in _hai_phong_history ----
    _phosphogypsum(w, users)
    title, proposer = IP_PROJECTS[4]
    live(
        "recognise",
        ago(8),
        title,
        SOC,
        "ungdung",
        proposer,
        kind=PROJECT,
        budget=650_000_000,
        months=15,
        programme=programme,
    )


def _phosphogypsum(w: Walker, users) -> None:
    """The pilot-production project of seed 001, assigned directly to the plant's owner and
    started early in 2024; its acceptance council is at work: one member declared a conflict of
    interest and was replaced, five have voted, the others have yet to."""
    from khcn.councils.services import conflict_declare, council_member_replace

    cg = {n: users[f"chuyengia{n}"] for n in range(1, 15)}
    t = w.plan(
        Plan(
            title=PHOSPHOGYPSUM,
            field=ENG,
            host="dap",
            proposer="Sở Tài nguyên và Môi trường Hải Phòng",
            kind=PILOT,
            budget=2_950_000_000,
            other=3_500_000_000,
            months=31,
        ),
        stop="form_council",
        on=w.ago(18),
    )
    t.dates["evaluate"] = w.wd(w.today + 6 * DAY)  # the meeting, next week
    w.walk(t, "validate")
    w.step_acc_form(
        t, size=9, prefer=[cg[4], cg[2], cg[11], cg[6], cg[7], cg[1], cg[3], cg[8], cg[9]]
    )
    t.done += 1
    w.walk(t, "form_council")
    council = t.acceptance
    opened = w.cal.add_working_days(t.dates["form_council"], 1)
    w.open(council, opened)
    seats = list(council.members.filter(removed_at__isnull=True).order_by("pk"))
    with w.travel(w.cal.add_working_days(opened, 1)):
        conflict_declare(
            actor=cg[11],
            member=seats[2],
            has_conflict=True,
            note="Đã tư vấn công nghệ cho Công ty CP DAP – Vinachem khi lập thuyết minh dự án.",
        )
        seats[2].refresh_from_db()
        council_member_replace(actor=w.staff, member=seats[2], expert=cg[10], degree="PGS.TS.")
    seats = list(council.members.filter(removed_at__isnull=True).order_by("pk"))
    ballot = w.acceptance_ballot(t)
    voted = [(i, m) for i, m in enumerate(seats) if m.expert in (cg[4], cg[2], cg[6], cg[1], cg[3])]
    w.vote(council, w.ago(2), ballot, voted)
    w.vote(
        council, w.ago(1), ballot, [(0, m) for m in seats if m.expert == cg[7]], declare_only=(0,)
    )


# --- Hà Nội (QĐ 05/2021/QĐ-UBND) ---------------------------------------------------------------------


def _ha_noi(w: Walker) -> None:
    """A handful of Hà Nội tasks: one finished, one recognised (liquidation within 60 days and
    inside the budget year), one running whose acceptance dossier falls due 30 working days
    before its end, one whose dossier came in early, and a new proposal."""
    T = w.today
    t = w.plan(
        Plan(
            title="Nghiên cứu giải pháp nâng cao hiệu quả xử lý rác thải sinh hoạt tại Khu liên hợp xử lý "
            "chất thải Sóc Sơn",
            field=ENG,
            host="xaydung",
            proposer="Sở Tài nguyên và Môi trường Hà Nội",
            approve=D(2021, 4, 12),
            start=D(2021, 5, 4),
            months=18,
            budget=1_350_000_000,
        )
    )
    w.walk(t)
    t = w.plan(
        Plan(
            title="Ứng dụng trí tuệ nhân tạo phân tích dữ liệu camera giám sát giao thông Hà Nội",
            field=ENG,
            host="bachkhoa",
            proposer="Sở Xây dựng Hà Nội",
            budget=2_400_000_000,
        ),
        stop="recognise",
        on=w.ago(20),
    )
    w.walk(t, "recognise")
    t = w.plan(
        Plan(
            title="Nghiên cứu giải pháp giảm ngập úng cục bộ tại các tuyến phố nội đô Hà Nội",
            field=NAT,
            host="thuyloi",
            proposer="Sở Xây dựng Hà Nội",
            months=12,
            budget=1_650_000_000,
        ),
        stop="start",
        on=shift_months(T + 51 * DAY, -12),
    )
    w.walk(t, "run")
    t = w.plan(
        Plan(
            title="Nghiên cứu công nghệ xử lý nước thải làng nghề chế biến nông sản ngoại thành Hà Nội",
            field=ENG,
            host="bachkhoa",
            proposer="Sở Nông nghiệp và Môi trường Hà Nội",
            months=18,
        ),
        stop="start",
        on=shift_months(T + 61 * DAY, -18),
    )
    t.dates.update(internal=w.ago(10), submit=w.ago(4))
    w.walk(t, "submit")
    t = w.plan(
        Plan(
            title="Đánh giá hiện trạng và đề xuất giải pháp bảo tồn làng nghề gốm Bát Tràng",
            field=HUM,
            host="xaydung",
            proposer="UBND xã Bát Tràng",
            kind=SCHEME,
            proposed=w.ago(6),
        )
    )
    w.walk(t, "propose")
    w.council(t, "identification", w.ago(2), w.wd(T + 8 * DAY), size=7)


def _read_old_notifications(walkers: list[Walker], today: dt.date, *, days: int = 10) -> int:
    """Everyone has read what they were told more than `days` days ago (the walk creates the
    notifications now, dated by the step they are about); the rest stays unread."""
    from khcn.accounts.models import User
    from khcn.notifications.models import Notification
    from khcn.notifications.services import notifications_mark_read

    marks = [mark for w in walkers for mark in w.days]  # in the order of the walk: ids ascend
    ids = [m[0] for m in marks]
    limit = today - dt.timedelta(days=days)
    old: dict[int, list[int]] = {}
    first = marks[0][0] if marks else 0
    for pk, recipient in Notification.objects.filter(pk__gt=first).values_list("pk", "recipient"):
        day = marks[bisect_right(ids, pk - 1) - 1][1]  # the step that made it
        if day < limit:
            old.setdefault(recipient, []).append(pk)
    with clock.travel(limit):
        for user in User.objects.filter(pk__in=old):
            notifications_mark_read(user=user, ids=old[user.pk])
    return sum(len(v) for v in old.values())


# --- the step ---------------------------------------------------------------------------------------


@demo_step
def science_and_technology_tasks() -> None:
    from khcn.accounts.models import Agency
    from khcn.projects.models import Programme
    from khcn.workflow.jobs import deadline_sweep

    today = clock.today()
    hp, hn = Agency.objects.get(code="hp"), Agency.objects.get(code="hn")
    people = _make_people(hp, hn)
    users = people["users"]
    programme = Programme.objects.create(agency=hp, start_year=2021, end_year=2025, **PROGRAMME)
    hp_walker = w = Walker(
        hp,
        staff=users["canbo"],
        leader=users["lanhdao"],
        experts=people["hp_experts"],
        hosts=people["hp_hosts"],
        today=today,
        ruleset="vn-2013",
        seed=2022,
    )
    _hai_phong_history(w, programme)
    _hai_phong_live(w, programme, people)
    w = Walker(
        hn,
        staff=users["canbo.hn"],
        leader=users["lanhdao.hn"],
        experts=people["hn_experts"],
        hosts=people["hn_hosts"],
        today=today,
        ruleset="hn-05-2021",
        seed=2021,
    )
    _ha_noi(w)
    _read_old_notifications([hp_walker, w], today)
    deadline_sweep(today=today)  # this morning's run: overdue limits marked, reminders sent
