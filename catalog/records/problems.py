"""Problems are data: a stable code, where, which field, what was typed, and how to fix it.

Every message text the validator can show lives in ``MESSAGES`` below, in Vietnamese (for the
province officers who edit the records) and English (``--lang en``). A message is a template
filled from the problem's ``args``; ``value`` is always what the person typed, quoted.

Reporters turn a sorted list of problems into text (``path:line:col: error: field: message
[code]``), JSON, or GitHub workflow annotations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, Iterable

from ..reference.escaping import visible

ERROR = "error"
WARNING = "warning"

# code -> (severity, Vietnamese template, English template)
MESSAGES: dict[str, tuple[str, str, str]] = {
    # --- reading the file -------------------------------------------------------------------
    "file-too-large": (
        ERROR,
        "Tệp quá lớn ({size} byte, tối đa {limit} byte). Mỗi tệp chỉ chứa một hồ sơ; ảnh để trong thư mục images/.",
        "The file is too large ({size} bytes, at most {limit}). One record per file; images go in images/.",
    ),
    "empty-file": (
        ERROR,
        "Tệp rỗng. Hãy chép mẫu hồ sơ (ocop new) rồi điền thông tin.",
        "The file is empty. Start from a record template and fill it in.",
    ),
    "utf16-file": (
        ERROR,
        "Tệp được lưu dạng UTF-16. Hãy lưu lại tệp với bảng mã UTF-8 (trong VS Code: Save with Encoding → UTF-8).",
        "The file is saved as UTF-16. Save it again as UTF-8.",
    ),
    "bad-encoding": (
        ERROR,
        "Byte {byte} không phải UTF-8. Tệp có thể được lưu bằng bảng mã cũ (Windows-1258, TCVN3, VNI): hãy lưu lại với bảng mã UTF-8 và gõ lại chữ có dấu bằng Unicode.",
        "Byte {byte} is not UTF-8. The file may use a legacy encoding (Windows-1258, TCVN3, VNI): save it as UTF-8.",
    ),
    "control-character": (
        ERROR,
        "Có ký tự điều khiển ẩn {char} ({name}). Hãy xoá ký tự này (thường lẫn vào khi dán văn bản từ nơi khác).",
        "Hidden control character {char} ({name}). Delete it (it usually comes from pasted text).",
    ),
    "tab-indent": (
        ERROR,
        "Thụt lề bằng phím Tab. YAML chỉ chấp nhận dấu cách: thay Tab bằng 2 dấu cách.",
        "Indentation uses a tab. YAML allows only spaces: replace the tab with 2 spaces.",
    ),
    "yaml-syntax": (
        ERROR,
        "Lỗi cú pháp YAML: {detail}.",
        "YAML syntax error: {detail}.",
    ),
    "multiple-documents": (
        ERROR,
        "Tệp có nhiều hơn một hồ sơ (dòng ---). Mỗi tệp chỉ chứa một hồ sơ: tách phần sau ra tệp riêng.",
        "The file holds more than one document (---). One record per file: move the rest to its own file.",
    ),
    "anchor": (
        ERROR,
        "Không dùng neo/tham chiếu YAML ({value}). Hãy viết đầy đủ giá trị tại chỗ.",
        "YAML anchors and aliases ({value}) are not allowed. Write the value out in full.",
    ),
    "merge-key": (
        ERROR,
        "Không dùng khoá gộp '<<'. Hãy viết đầy đủ các trường tại chỗ.",
        "Merge keys '<<' are not allowed. Write the fields out in full.",
    ),
    "tag": (
        ERROR,
        "Không dùng thẻ YAML ({value}). Nếu cần giữ nguyên văn bản, hãy đặt giá trị trong dấu nháy kép.",
        "YAML tags ({value}) are not allowed. To keep a value as text, put it in double quotes.",
    ),
    "duplicate-key": (
        ERROR,
        "Trường '{key}' được viết hai lần (dòng {first_line} và dòng {line}). Giữ lại một dòng, xoá dòng kia.",
        "Field '{key}' is written twice (lines {first_line} and {line}). Keep one and delete the other.",
    ),
    "non-string-key": (
        ERROR,
        "Tên trường phải là chữ, không phải danh sách hay nhóm.",
        "A field name must be text, not a list or mapping.",
    ),
    "too-deep": (
        ERROR,
        "Các mức thụt lề lồng nhau quá sâu (hơn {limit} mức). Kiểm tra lại thụt lề.",
        "Nesting is too deep (more than {limit} levels). Check the indentation.",
    ),
    "not-a-mapping": (
        ERROR,
        "Hồ sơ phải là các dòng 'tên_trường: giá trị', không phải {found}.",
        "A record must be 'field: value' lines, not {found}.",
    ),
    # --- the schema ---------------------------------------------------------------------------
    "unknown-field": (
        ERROR,
        "Trường '{key}' không có trong mẫu hồ sơ.{suggestion}",
        "Field '{key}' is not part of the record format.{suggestion}",
    ),
    "missing-field": (
        ERROR,
        "Thiếu trường bắt buộc '{key}' ({title}). Thêm dòng, ví dụ: {key}: {example} (hoặc điền ô «{title}» trong biểu mẫu)",
        "Required field '{key}' ({title}) is missing. Add it, for example: {key}: {example} (or fill in “{title}” in the form)",
    ),
    "empty-field": (
        ERROR,
        "{title}: còn để trống. Điền giá trị, ví dụ: {example}",
        "{title}: not filled in. Fill it in, for example: {example}",
    ),
    "wrong-type": (
        ERROR,
        "{title}: cần {expected}, nhưng đã nhập {value}.{hint}",
        "{title}: expected {expected}, but got {value}.{hint}",
    ),
    "not-allowed-value": (
        ERROR,
        "{title}: giá trị {value} không được chấp nhận.{suggestion} Các giá trị hợp lệ: {allowed}.",
        "{title}: {value} is not an allowed value.{suggestion} Allowed: {allowed}.",
    ),
    "bad-format": (
        ERROR,
        "{title}: {value} không đúng dạng. {fix}",
        "{title}: {value} has the wrong form. {fix}",
    ),
    "bad-date": (
        ERROR,
        "{title}: {value} không phải ngày có thật (năm từ 1900 đến 2099). Viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2024-03-15.",
        "{title}: {value} is not a real date (a year from 1900 to 2099). Write YEAR-MONTH-DAY, for example 2024-03-15.",
    ),
    "too-short": (
        ERROR,
        "{title}: {value} quá ngắn (ít nhất {limit} ký tự).",
        "{title}: {value} is too short (at least {limit} characters).",
    ),
    "too-long": (
        ERROR,
        "{title}: dài {length} ký tự, tối đa {limit}. Hãy rút gọn.",
        "{title}: {length} characters long, at most {limit}. Shorten it.",
    ),
    "out-of-range": (
        ERROR,
        "{title}: {value} nằm ngoài khoảng cho phép ({low} đến {high}).",
        "{title}: {value} is outside the allowed range ({low} to {high}).",
    ),
    "list-too-short": (
        ERROR,
        "{title}: cần ít nhất {limit} mục.",
        "{title}: needs at least {limit} items.",
    ),
    "list-too-long": (
        ERROR,
        "{title}: có {count} mục, tối đa {limit}.",
        "{title}: has {count} items, at most {limit}.",
    ),
    "duplicate-item": (
        ERROR,
        "{title}: có mục bị lặp lại. Xoá các dòng trùng.",
        "{title}: an item is listed twice. Delete the duplicate.",
    ),
    "schema": (
        ERROR,
        "{title}: giá trị {value} không hợp lệ ({detail}).",
        "{title}: {value} is not valid ({detail}).",
    ),
    # --- the data root ------------------------------------------------------------------------
    "missing-config": (
        ERROR,
        "Không tìm thấy tệp ocop.yaml ở thư mục gốc dữ liệu. Tạo tệp với các dòng title, base_url, sample_data (xem schemas/config.schema.json).",
        "No ocop.yaml at the data root. Create it with title, base_url and sample_data (see schemas/config.schema.json).",
    ),
    "stray-file": (
        WARNING,
        "Tệp này không được đọc: hồ sơ phải là tệp .yaml nằm trong {kind}/<tỉnh>/.",
        "This file is not read: records are .yaml files in {kind}/<province>/.",
    ),
    "unknown-province-folder": (
        ERROR,
        "Thư mục tỉnh '{folder}' không đúng tên.{suggestion} Tên thư mục là tên tỉnh viết thường không dấu, nối bằng gạch ngang (ví dụ lai-chau, hai-phong).",
        "Province folder '{folder}' is not a known province.{suggestion} Folder names are lower-case ASCII with hyphens (lai-chau, hai-phong).",
    ),
    # --- across records -----------------------------------------------------------------------
    "id-mismatch": (
        ERROR,
        "Mã hồ sơ {value} khác tên tệp '{stem}'. Mã và tên tệp phải giống hệt nhau: sửa một trong hai.",
        "Record id {value} differs from the file name '{stem}'. Make them the same.",
    ),
    "reserved-id": (
        ERROR,
        "Mã {value} trùng địa chỉ trang danh sách (trang-2, trang-3, …). Chọn mã khác, ví dụ theo tên sản phẩm.",
        "Id {value} is the address of a listing page (trang-2, trang-3, …). Choose another id.",
    ),
    "duplicate-id": (
        ERROR,
        "Mã {value} đã được dùng ở tệp {other}. Mỗi hồ sơ cần một mã riêng.",
        "Id {value} is already used by {other}. Every record needs its own id.",
    ),
    "id-case-collision": (
        ERROR,
        "Tên tệp chỉ khác {other} ở chữ hoa/thường: trên Windows và macOS hai tệp này đè lên nhau. Đổi tên một tệp.",
        "This file name differs from {other} only in letter case; they collide on Windows and macOS. Rename one.",
    ),
    "province-folder-mismatch": (
        ERROR,
        "Tỉnh {value} khác với thư mục tỉnh chứa tệp ('{folder}' = {folder_province}). Chuyển tệp sang thư mục {expected_folder}/ hoặc sửa tên tỉnh.",
        "Province {value} differs from the folder the file is in ('{folder}' = {folder_province}). Move the file to {expected_folder}/ or fix the province.",
    ),
    "unknown-commune": (
        ERROR,
        "Không có xã/phường {value} ở {province} theo danh mục sau sắp xếp năm 2025.{suggestion}",
        "There is no commune {value} in {province} in the 2025 list.{suggestion}",
    ),
    "commune-differs-from-certified": (
        WARNING,
        "Xã/phường {value} khác với địa chỉ trên giấy chứng nhận: {certified} nay là {became}. Sửa tên xã hiện nay cho đúng; nếu chủ thể đã chuyển nơi sản xuất, giữ tên xã mới và cập nhật certified_address khi có giấy chứng nhận mới.",
        "Commune {value} differs from the certified address: {certified} is now {became}. Correct the current commune; if the producer has moved, keep it and update certified_address with the next certificate.",
    ),
    "former-province": (
        ERROR,
        "{title}: {value} là tên tỉnh trước ngày 01/7/2025; nay thuộc tỉnh {merged_into}. Địa chỉ hiện nay ghi province: {merged_into} và tên xã mới; địa chỉ cũ ghi ở certified_address.",
        "{title}: {value} is a province name from before 1 Jul 2025; it is now part of {merged_into}. Write province: {merged_into} with the new commune; the old address goes in certified_address.",
    ),
    "unknown-former-province": (
        ERROR,
        "{value} không phải tên một tỉnh, thành phố (63 tỉnh trước năm 2025 hoặc 34 tỉnh hiện nay).{suggestion}",
        "{value} is not the name of a province (the 63 before 2025 or the 34 today).{suggestion}",
    ),
    "missing-producer": (
        ERROR,
        "Không tìm thấy chủ thể có mã {value} trong thư mục producers/.{suggestion} Tạo hồ sơ chủ thể trước hoặc sửa mã.",
        "No producer with id {value} in producers/.{suggestion} Add the producer record first or fix the id.",
    ),
    "missing-product": (
        ERROR,
        "Không tìm thấy sản phẩm có mã {value} trong thư mục products/.{suggestion}",
        "No product with id {value} in products/.{suggestion}",
    ),
    "not-a-tourism-product": (
        ERROR,
        "Sản phẩm {value} không thuộc nhóm du lịch, nên không thể là sản phẩm du lịch OCOP của làng.",
        "Product {value} is not in the tourism group, so it cannot be the village's OCOP tourism product.",
    ),
    "score-stars-mismatch": (
        ERROR,
        "Điểm {value} thấp hơn mức của hạng {stars} sao (cần từ {low} điểm; {value} điểm chỉ đạt hạng {band_stars} sao). Kiểm tra lại điểm và hạng sao trong quyết định.",
        "A score of {value} is below the {stars}-star band ({stars} stars needs at least {low}; {value} is a {band_stars}-star score). Check the score and stars in the decision.",
    ),
    "valid-until-too-late": (
        ERROR,
        "Hiệu lực đến {value} quá 36 tháng kể từ ngày quyết định {decision_date}. Thường là {expected}; muộn nhất là {latest}.",
        "Valid until {value} is more than 36 months after the decision of {decision_date}. It is usually {expected}; the latest allowed is {latest}.",
    ),
    "valid-until-before-decision": (
        ERROR,
        "Hiệu lực đến {value} lại trước ngày quyết định {decision_date}. Kiểm tra lại hai ngày này: giấy chứng nhận 36 tháng thì hiệu lực đến {expected}.",
        "Valid until {value} is before the decision date {decision_date}. Check both dates: a 36-month certificate is valid until {expected}.",
    ),
    "deciding-level": (
        ERROR,
        "Quyết định ngày {decision_date} công nhận {stars} sao không thuộc thẩm quyền cấp {level_name}. Theo quy định lúc đó, {stars} sao do cấp {expected} công nhận.",
        "A {stars}-star recognition dated {decision_date} cannot come from the {level_name} level; at that date {stars} stars were recognised by the {expected} level.",
    ),
    "deciding-level-unusual": (
        WARNING,
        "Quyết định ngày {decision_date} công nhận {stars} sao do cấp {level_name} là bất thường: theo quy định lúc đó, {stars} sao do cấp {expected} công nhận. Kiểm tra lại quyết định.",
        "A {stars}-star recognition dated {decision_date} by the {level_name} level is unusual; at that date the {expected} level recognised {stars} stars. Check the decision.",
    ),
    "legal-basis-not-in-force": (
        ERROR,
        "Bộ tiêu chí {value} có hiệu lực từ {in_force_from}, nhưng quyết định công nhận ký ngày {decision_date}. Chọn bộ tiêu chí đang áp dụng lúc đó.",
        "Criteria {value} came into force on {in_force_from}, but the decision is dated {decision_date}. Choose the criteria in force then.",
    ),
    "legal-basis-replaced": (
        WARNING,
        "Bộ tiêu chí {value} đã được thay thế từ {replaced_on}, trước ngày quyết định {decision_date}. Kiểm tra lại bộ tiêu chí đã dùng.",
        "Criteria {value} were replaced on {replaced_on}, before the decision of {decision_date}. Check which criteria were used.",
    ),
    "group-basis-mismatch": (
        ERROR,
        "Nhóm {value} không thuộc bộ tiêu chí {basis}. Các nhóm của bộ tiêu chí này: {allowed}.",
        "Group {value} does not belong to criteria {basis}. Its groups are: {allowed}.",
    ),
    "product-set-mismatch": (
        ERROR,
        "Bộ sản phẩm {value} không thuộc nhóm {group}. Các bộ của nhóm này: {allowed}.",
        "Product set {value} is not in group {group}. Its sets are: {allowed}.",
    ),
    "product-set-missing": (
        ERROR,
        "Sản phẩm đánh giá theo {basis} cần ghi bộ sản phẩm (product_set). Các bộ của nhóm {group}: {allowed}.",
        "Products rated under {basis} need a product_set. The sets of group {group} are: {allowed}.",
    ),
    "product-set-not-1048": (
        ERROR,
        "Sản phẩm đánh giá theo bộ tiêu chí 1048/2019 chỉ ghi ngành (group) của QĐ 1048; danh mục không ghi bộ sản phẩm của QĐ 1048 và không chuyển sản phẩm cũ sang bộ của QĐ 148: xoá dòng product_set {value}.",
        "Products rated under 1048/2019 carry their 1048 sector (group) only; the catalogue records no 1048 product sets and never maps old ratings onto the sets of 148: remove product_set {value}.",
    ),
    "gtin-check-digit": (
        ERROR,
        "Mã GTIN {value} sai số kiểm tra: số cuối phải là {expected}.{taken} Chép lại mã từ bao bì hoặc giấy chứng nhận mã số mã vạch.",
        "GTIN {value} has a wrong check digit: the last digit should be {expected}.{taken} Copy it again from the pack.",
    ),
    "revocation-before-decision": (
        ERROR,
        "Quyết định thu hồi ngày {value} lại trước quyết định công nhận ngày {decision_date}.",
        "The revocation dated {value} is before the recognition decision of {decision_date}.",
    ),
    "status-reason-without-status": (
        WARNING,
        "Có lý do rút khỏi danh mục nhưng không có dòng 'status: withdrawn'. Thêm dòng đó hoặc xoá lý do.",
        "There is a withdrawal reason but no 'status: withdrawn'. Add it or remove the reason.",
    ),
    "earlier-rating-after-current": (
        ERROR,
        "Lần công nhận trước ghi ngày {value}, không sớm hơn quyết định hiện hành ngày {decision_date}. Giấy chứng nhận mới nhất đặt ở certificate, các lần cũ ở earlier_ratings.",
        "The earlier rating dated {value} is not before the current decision of {decision_date}. The newest certificate goes in certificate, older ones in earlier_ratings.",
    ),
    "lot-dates": (
        ERROR,
        "Lô {lot}: hạn sử dụng {value} lại trước ngày sản xuất {produced_on}.",
        "Lot {lot}: expiry {value} is before the production date {produced_on}.",
    ),
    "duplicate-lot": (
        ERROR,
        "Số lô {value} được ghi hai lần. Mỗi lô một số riêng.",
        "Lot {value} is listed twice. Each lot needs its own number.",
    ),
    "event-order": (
        ERROR,
        "Lô {lot}: sự kiện ngày {value} được ghi sau sự kiện ngày {previous}. Sắp xếp các sự kiện theo thứ tự thời gian, cũ nhất trước.",
        "Lot {lot}: the event of {value} is listed after one of {previous}. List events oldest first.",
    ),
    "event-before-harvest": (
        ERROR,
        "Lô {lot}: sự kiện {event} ngày {value} lại trước ngày thu hoạch {harvest}. Kiểm tra lại ngày.",
        "Lot {lot}: the {event} event of {value} is before the harvest of {harvest}. Check the dates.",
    ),
    "shipping-before-packing": (
        ERROR,
        "Lô {lot}: vận chuyển ngày {value} lại trước ngày đóng gói {packing}.",
        "Lot {lot}: shipping on {value} is before packing on {packing}.",
    ),
    "event-after-expiry": (
        ERROR,
        "Lô {lot}: sự kiện ngày {value} sau hạn sử dụng của lô ({expires_on}). Kiểm tra lại ngày hoặc hạn sử dụng.",
        "Lot {lot}: an event on {value} is after the lot's expiry ({expires_on}).",
    ),
    "lot-outside-certificate": (
        ERROR,
        "Lô {lot}: ngày sản xuất {value} nằm ngoài thời hạn giấy chứng nhận (từ {decision_date} đến {valid_until}). Lô này không được mang nhãn OCOP của giấy chứng nhận hiện hành.",
        "Lot {lot}: produced on {value}, outside the certificate's validity ({decision_date} to {valid_until}).",
    ),
    "lot-after-revocation": (
        ERROR,
        "Lô {lot}: ngày sản xuất {value} từ ngày giấy chứng nhận {number} bị thu hồi ({revoked_from}) trở đi. Lô này không được mang nhãn OCOP; kiểm tra lại ngày sản xuất.",
        "Lot {lot}: produced on {value}, once certificate {number} was revoked (from {revoked_from}). This lot may not carry the OCOP label; check the production date.",
    ),
    "missing-sales-point": (
        ERROR,
        "Không tìm thấy điểm bán có mã {value} trong thư mục sales_points/.{suggestion}",
        "No sales point with id {value} in sales_points/.{suggestion}",
    ),
    "label-url-too-long": (
        ERROR,
        "Địa chỉ in trên nhãn {url} dài {length} ký tự, quá {limit} ký tự (mã QR sẽ quá dày để quét bằng điện thoại rẻ). Rút ngắn mã hồ sơ, số lô hoặc base_url trong ocop.yaml.",
        "The label URL {url} is {length} characters long, over {limit} (the QR code would be too dense). Shorten the id, lot or base_url.",
    ),
    "former-id-in-use": (
        ERROR,
        "Mã cũ {value} đang là mã của hồ sơ {other}. Một địa chỉ chỉ trỏ tới một sản phẩm.",
        "Former id {value} is the id of {other}. An address can only lead to one product.",
    ),
    # --- issue 13: true to the law ---------------------------------------------------------------
    "score-precision": (
        ERROR,
        "Điểm {value} có quá {decimals} chữ số thập phân. Ghi điểm như biên bản hội đồng, ví dụ 90.75.",
        "Score {value} has more than {decimals} decimals. Write it as the council's minutes do, e.g. 90.75.",
    ),
    "retired-product-set": (
        ERROR,
        "Mã bộ sản phẩm {value} không còn dùng (danh mục 26 bộ của QĐ 148). Dùng {instead}.",
        "Product-set code {value} is no longer used (the 26 sets of Decision 148). Use {instead}.",
    ),
    "valid-until-past-term": (
        WARNING,
        "Hiệu lực đến {value} là quá 36 tháng kể từ ngày quyết định {decision_date} (thường hiệu lực đến {expected}). Trang web cho người mua thấy giấy chứng nhận còn hiệu lực đến hết {value}: chỉ giữ ngày này nếu giấy chứng nhận ghi đúng như vậy.",
        "Valid until {value} is past 36 months from the decision of {decision_date} (usually until {expected}). The site shows shoppers the certificate as valid through {value}: keep this date only if the certificate prints it.",
    ),
    "valid-until-unexpected": (
        WARNING,
        "Hiệu lực đến {value}, nhưng giấy chứng nhận có hiệu lực 36 tháng: quyết định ngày {decision_date} thì thường hiệu lực đến {expected}. Kiểm tra lại năm: gõ nhầm một năm sẽ làm sản phẩm hiện là hết hiệu lực (hoặc còn hiệu lực) sai với mọi người mua.",
        "Valid until {value}, but a certificate is valid for 36 months: a decision of {decision_date} usually runs until {expected}. Check the year: a one-year typo shows the product with the wrong status to every shopper.",
    ),
    "duplicate-gtin": (
        ERROR,
        "Mã GTIN {value} đã dùng cho sản phẩm khác ({other}). Hai sản phẩm cùng một mã thì tem QR của sản phẩm này dẫn tới trang của sản phẩm kia: kiểm tra lại mã trên bao bì của từng sản phẩm.",
        "GTIN {value} is also used by another product ({other}). Two products with one GTIN send a shopper who scans one to the page of the other: check the code on each pack.",
    ),
    "duplicate-certificate": (
        ERROR,
        "Số giấy chứng nhận {value} của {body} (năm {year}) đã có ở hồ sơ {other}. Một giấy chứng nhận chỉ cho một sản phẩm: kiểm tra lại số, hoặc đây là cùng một sản phẩm nhập hai lần.",
        "Certificate number {value} of {body} ({year}) is already in {other}. One certificate is for one product: check the number, or this is the same product entered twice.",
    ),
    "duplicate-product": (
        ERROR,
        "Sản phẩm {value} của chủ thể {producer} đã có ở hồ sơ {other}. Sửa hồ sơ đã có (gia hạn, nâng hạng: chuyển giấy cũ vào earlier_ratings) thay vì tạo hồ sơ mới.",
        "Product {value} of producer {producer} already exists in {other}. Update that record (a renewal or upgrade moves the old certificate to earlier_ratings) instead of adding a new one.",
    ),
    "possible-duplicate-product": (
        WARNING,
        "Sản phẩm {value} cùng tên, cùng xã ({commune}) với sản phẩm đã có ở hồ sơ {other} nhưng của chủ thể khác ({producer}, hồ sơ kia: {other_producer}): có thể là một sản phẩm nhập hai lần (người mua sẽ thấy hai trang). Nếu là công nhận lại, sửa hồ sơ đã có (chuyển giấy cũ vào earlier_ratings) và xoá hồ sơ này; nếu là hai sản phẩm của hai chủ thể, ghi tên cho khác nhau (ví dụ thêm tên chủ thể).",
        "Product {value} has the same name and commune ({commune}) as {other} but another producer ({producer}; that record: {other_producer}): possibly one product entered twice (shoppers would see two pages). If it is a re-recognition, update the existing record (move the old certificate to earlier_ratings) and delete this one; if they are two producers' products, give them different names (add the producer's, say).",
    ),
    "similar-producer": (
        WARNING,
        "Chủ thể {value} trùng tên với chủ thể {other_name} ({other}) cùng tỉnh (kể cả khi viết khác: HTX/Hợp tác xã, chữ hoa, dấu). Nếu là một chủ thể, giữ một hồ sơ và sửa các sản phẩm trỏ về hồ sơ đó; nếu là hai chủ thể (ví dụ ở hai xã), giữ cả hai.",
        "Producer {value} has the same name as {other_name} ({other}) in the same province (even if spelt differently: HTX/Hợp tác xã, case, accents). If it is one producer, keep one record and point its products to it; if they are two (in two communes, say), keep both.",
    ),
    "deciding-body-unknown": (
        WARNING,
        "Không nhận ra cơ quan ra quyết định {value}.{suggestion} Viết như trên quyết định, ví dụ 'UBND tỉnh Lai Châu', 'UBND huyện Sìn Hồ', 'Bộ Nông nghiệp và Môi trường'.",
        "The deciding body {value} is not recognised.{suggestion} Write it as the decision does, e.g. 'UBND tỉnh Lai Châu', 'UBND huyện Sìn Hồ', 'Bộ Nông nghiệp và Môi trường'.",
    ),
    "deciding-body-level-mismatch": (
        WARNING,
        "Cơ quan {value} là cấp {named_level}, nhưng deciding_body.level ghi {level} ({level_name}). Sửa một trong hai cho khớp.",
        "Body {value} is at the {named_level_en} level, but deciding_body.level says {level}. Make the two agree.",
    ),
    "deciding-body-other-province": (
        WARNING,
        "Cơ quan {value} là UBND của {body_province}, nhưng giấy chứng nhận (quyết định ngày {decision_date}) thuộc {province}. Sản phẩm do tỉnh nơi có chủ thể công nhận: kiểm tra lại tên cơ quan hoặc tỉnh ghi trên giấy chứng nhận.",
        "Body {value} is the UBND of {body_province}, but the certificate (decision of {decision_date}) belongs to {province}. A product is recognised by its own province: check the body or the certificate's province.",
    ),
    "deciding-body-ceased": (
        ERROR,
        "{value} không còn ký quyết định sau {until} (nay là {successor}), nhưng quyết định ghi ngày {decision_date}: không cơ quan nào ký được quyết định như vậy. Chép lại ngày quyết định và tên cơ quan đúng như trên quyết định.",
        "{value} could not sign after {until} (its function passed to {successor}), but the decision is dated {decision_date}: no body could have signed such a decision. Copy the date and the body exactly as the decision prints them.",
    ),
    "revocation-body-level": (
        WARNING,
        "Quyết định thu hồi do {level_name} ký, nhưng giấy chứng nhận do {recognised} công nhận: cơ quan công nhận là cơ "
        "quan thu hồi (hoặc cơ quan tiếp nhận việc của nó). Kiểm tra lại cơ quan thu hồi, hoặc giấy chứng nhận bị thu hồi.",
        "The revocation is signed at the {level_name} level, but the certificate was recognised at the {recognised} level: "
        "the body that recognises is the one that revokes (or the body that took over from it). Check the revoking body, "
        "or which certificate is revoked.",
    ),
    "revocation-body-other-province": (
        WARNING,
        "Quyết định thu hồi ngày {decision_date} do {value} ký, là {body_of}, nhưng giấy chứng nhận {number} bị thu hồi là "
        "giấy chứng nhận của {province} ({recognised_by} công nhận ngày {recognised_date}). Cơ quan thu hồi là cơ quan đã "
        "công nhận (hoặc cơ quan tiếp nhận việc của nó): chép lại tên cơ quan thu hồi đúng như trên quyết định, hoặc kiểm "
        "tra quyết định đó có đúng là thu hồi giấy chứng nhận này.",
        "The revocation of {decision_date} is signed by {value}, {body_of}, but certificate {number} it revokes is a "
        "certificate of {province} (recognised by {recognised_by} on {recognised_date}). The body that recognised is the "
        "one that revokes (or the body that took over from it): copy the revoking body's name exactly from the decision, "
        "or check that the decision revokes this certificate.",
    ),
    "deciding-body-renamed": (
        WARNING,
        "{value} mang tên mới sau {until} ({successor}), nhưng quyết định ghi ngày {decision_date}. Chép lại tên cơ quan đúng như trên quyết định.",
        "{value} took a new title after {until} ({successor}), but the decision is dated {decision_date}. Copy the body's name exactly as the decision prints it.",
    ),
    "deciding-body-not-yet": (
        WARNING,
        "{value} chỉ có từ {since}, nhưng quyết định ghi ngày {decision_date}. Trước đó là {before}: kiểm tra lại ngày hoặc tên cơ quan.",
        "{value} only exists since {since}, but the decision is dated {decision_date}. Before then it was {before}: check the date or the body.",
    ),
    "decision-number-latin-d": (
        WARNING,
        "Số quyết định {value} viết 'QD' (chữ D thường, không gạch): quyết định in 'QĐ'. Viết '{fixed}' để cùng một quyết định không thành hai.",
        "Decision number {value} is typed with 'QD' (a Latin D): decisions print 'QĐ'. Write '{fixed}' so that one decision does not read as two.",
    ),
    "decision-number-body": (
        WARNING,
        "Số quyết định {value} (ngày {decision_date}) không có dạng của {body} (…/QĐ-{suffix}…).{former} Chép lại số quyết định đúng như văn bản.{unsure}",
        "Decision number {value} (of {decision_date}) does not have the form used by {body} (…/QĐ-{suffix}…).{former} Copy the number exactly from the decision.{unsure}",
    ),
    "deciding-body-district-other-province": (
        WARNING,
        "Cơ quan {value} là UBND cấp huyện của {district_province} (trước 01/7/2025), nhưng giấy chứng nhận (quyết định ngày {decision_date}) thuộc {province}. Huyện chỉ công nhận sản phẩm của chủ thể trong huyện: kiểm tra lại tên cơ quan hoặc tỉnh ghi trên giấy chứng nhận.",
        "Body {value} is a district UBND of {district_province} (before 1 Jul 2025), but the certificate (decision of {decision_date}) belongs to {province}. A district recognises products of its own producers: check the body or the certificate's province.",
    ),
    "street-names-units": (
        WARNING,
        "Địa chỉ chi tiết {value} còn ghi {named}. Trang web in xã và tỉnh hiện nay ngay sau phần này, nên người đọc thấy đơn vị hành chính hai lần (cũ lẫn mới, hoặc một đơn vị lặp lại): chỉ ghi thôn, bản, số nhà, đường — ở đây là '{street_only}'.",
        "The street line {value} also names {named}. The pages print the current commune and province right after it, so readers see units twice (old and new, or one repeated): write only the hamlet, house number and street — here '{street_only}'.",
    ),
    "certified-address-ceased": (
        WARNING,
        "Địa chỉ trên giấy chứng nhận ghi {named}, nhưng từ {since} không còn đơn vị hành chính đó (quyết định ngày {decision_date}). Giấy chứng nhận cấp từ ngày đó ghi địa chỉ mới (xã/phường, {province}): chép lại địa chỉ đúng như giấy chứng nhận in, hoặc kiểm tra lại ngày quyết định.",
        "The certified address names {named}, no longer an administrative unit from {since} (decision of {decision_date}). A certificate issued from then prints the new address (commune or ward, {province}): copy the address exactly as printed, or check the decision date.",
    ),
    "sales-point-kind-criteria": (
        WARNING,
        "Loại địa điểm {value} không có trong danh mục của {criteria} (quyết định công nhận điểm bán ngày {decision_date}); loại này có trong {listed_in}. Kiểm tra lại loại địa điểm hoặc bộ tiêu chí đã dùng.",
        "Place kind {value} is not listed by {criteria} (the sales point's decision is dated {decision_date}); it is listed by {listed_in}. Check the kind of place or the criteria used.",
    ),
    "sales-point-criteria-date": (
        WARNING,
        "Bộ tiêu chí {value} áp dụng từ {in_force_from}{until_text}, nhưng quyết định công nhận điểm bán ghi ngày {decision_date}.{fix}",
        "Criteria {value} apply from {in_force_from}{until_text}, but the sales point's decision is dated {decision_date}.{fix}",
    ),
    "village-body-level": (
        WARNING,
        "Làng nghề do Chủ tịch UBND cấp tỉnh công nhận (Nghị định 52/2018/NĐ-CP), nhưng cơ quan ghi là {value} — ngày quyết định {decision_date} đó là cấp {named_level}. Kiểm tra lại quyết định công nhận.",
        "Craft villages are recognised by the provincial People's Committee chairman (Decree 52/2018/NĐ-CP), but the body is {value} — on the decision date {decision_date} a {named_level}-level body. Check the recognition decision.",
    ),
    "published-id-missing": (
        ERROR,
        "Mã {value} đã được công bố (có trong {manifest}) nhưng không còn hồ sơ nào mang mã này hay ghi nó trong former_ids. Nhãn đã in sẽ dẫn tới trang lỗi: khôi phục hồ sơ, ghi mã cũ vào former_ids của hồ sơ mới, hoặc giữ hồ sơ với status: withdrawn.",
        "Id {value} was published (listed in {manifest}) but no record has it or lists it in former_ids. Printed labels would break: restore it, add it to former_ids, or keep the record with status: withdrawn.",
    ),
    "published-gtin-changed": (
        ERROR,
        "Mã vạch GTIN {published} của sản phẩm {product} đã được công bố (có trong {manifest}): nhãn đã in với mã vạch này "
        "dẫn tới địa chỉ {address}. Hồ sơ nay ghi gtin {value}. Không bỏ, đổi hay chuyển mã vạch đã in sang sản phẩm khác — "
        "giữ gtin: \"{published}\" trong hồ sơ này; sản phẩm mang mã vạch mới thì lập hồ sơ mới.",
        "GTIN {published} of product {product} was published (listed in {manifest}): labels printed with it lead to "
        "{address}. The record now has gtin {value}. A printed GTIN is never removed, changed or given to another product — "
        "keep gtin: \"{published}\" in this record; a product with a new GTIN gets a record of its own.",
    ),
    "bad-manifest-line": (
        ERROR,
        "Dòng không đúng dạng 'loại mã' (ví dụ: product che-shan-tuyet-sin-ho): {value}.",
        "Line is not 'kind id' (for example: product che-shan-tuyet-sin-ho): {value}.",
    ),
    "legacy-font-text": (
        WARNING,
        "Văn bản {value} có vẻ được gõ bằng phông {font} cũ: trên trang web chữ sẽ hiện sai dấu. Gõ lại bằng Unicode (Unikey hoặc EVKey, bảng mã Unicode).",
        "Text {value} looks typed with a legacy {font} font: it will show wrongly on the site. Retype it in Unicode.",
    ),
    "bad-image": (
        ERROR,
        "Tệp {value} không phải ảnh JPEG hoặc PNG đọc được ({detail}). Lưu lại ảnh dạng .jpg hoặc .png.",
        "File {value} is not a readable JPEG or PNG image ({detail}). Save it again as .jpg or .png.",
    ),
    "image-shape": (
        ERROR,
        "Ảnh {value} có kích thước {detail}: quá dài hoặc quá hẹp để làm ảnh sản phẩm (cạnh dài tối đa gấp {limit} lần cạnh "
        "ngắn). Cắt lại ảnh rồi lưu.",
        "Image {value} is {detail}: too long or too narrow for a product photo (the long side at most {limit} times the "
        "short one). Crop it and save it again.",
    ),
    "image-too-large": (
        ERROR,
        "Ảnh {value} quá lớn ({detail}; tối đa {limit}). Thu nhỏ ảnh (ví dụ cạnh dài 3000 điểm ảnh) rồi lưu lại.",
        "Image {value} is too large ({detail}; at most {limit}). Resize it (e.g. 3000 px on the long side).",
    ),
    "missing-image": (
        ERROR,
        "Không tìm thấy tệp ảnh {value} trong thư mục images/. Kiểm tra tên tệp (chữ thường, không dấu) và thư mục.",
        "Image file {value} not found in images/. Check the file name and folder.",
    ),
    "decision-in-future": (
        WARNING,
        "Ngày quyết định {value} sau ngày xét ({as_of}). Kiểm tra lại ngày; sản phẩm sẽ hiện là 'chưa có hiệu lực'.",
        "The decision date {value} is after the as-of date ({as_of}). Check it; the product shows as 'not yet valid'.",
    ),
    "decision-ahead-earlier-shown": (
        WARNING,
        "Ngày quyết định {value} sau ngày xét ({as_of}). Nếu đúng là công nhận lại quyết định trước, trang sản phẩm hiện giấy chứng nhận trước (số {number}, {stars} sao, còn hiệu lực đến {until}), rồi tự chuyển sang giấy mới từ ngày {value}; nhãn chỉ in được từ ngày đó.{gap} Nếu gõ nhầm ngày, sửa lại.",
        "The decision date {value} is after the as-of date ({as_of}). If it is a re-recognition decided ahead, the product page shows the earlier certificate (number {number}, {stars} stars, in force until {until}) and switches to the new one by itself from {value}; labels can be printed from that day.{gap} If the date is a typo, correct it.",
    ),
    "certificate-expiring": (
        WARNING,
        "Giấy chứng nhận còn hiệu lực đến hết ngày {value} ({left}). Nhắc chủ thể nộp hồ sơ đánh giá lại.",
        "The certificate is valid through {value} ({left}). Remind the producer to apply for re-rating.",
    ),
    "sales-point-lapsed-product": (
        WARNING,
        "Điểm bán đang bày sản phẩm {value} nhưng sản phẩm này {status}. Gỡ sản phẩm khỏi danh sách hoặc cập nhật giấy chứng nhận mới.",
        "The sales point lists product {value}, which {status}. Remove it from the list or record the new certificate.",
    ),
    # --- issue 16: revocations and withdrawals that take effect later ---------------------------
    "revocation-in-future": (
        WARNING,
        "Thu hồi có hiệu lực từ ngày {value}, sau ngày xét ({as_of}). Đến ngày đó trang vẫn ghi giấy chứng nhận còn hiệu lực, kèm ngày sẽ thu hồi; trình duyệt tự đổi trạng thái từ ngày đó; không in nhãn mới cho sản phẩm này. Nếu gõ nhầm ngày, sửa lại.",
        "The revocation takes effect on {value}, after the as-of date ({as_of}). Until then the page says the certificate is valid and when it will be revoked; browsers switch on that day; no new label is printed. If the date is a typo, correct it.",
    ),
    "revocation-after-lapse": (
        ERROR,
        "Thu hồi có hiệu lực từ ngày {value}, sau khi giấy chứng nhận {number} đã hết hiệu lực (đến hết ngày "
        "{valid_until}{reckoned}): quyết định thu hồi không còn gì để thu hồi. Kiểm tra lại ngày (thường là gõ nhầm năm), "
        "hoặc việc thu hồi thuộc giấy chứng nhận khác.",
        "The revocation takes effect on {value}, after certificate {number} had lapsed (valid until {valid_until}{reckoned}): "
        "it revokes nothing. Check the date (usually a mistyped year), or whether it belongs to another certificate.",
    ),
    "revocation-effective-before-decision": (
        ERROR,
        "Ngày thu hồi có hiệu lực {value} lại trước ngày ký quyết định thu hồi {decision_date}. Chỉ ghi effective_from khi quyết định có hiệu lực muộn hơn ngày ký; nếu không, xoá dòng này.",
        "The revocation takes effect on {value}, before the revocation decision of {decision_date}. Only write effective_from when it is later than the decision; otherwise remove it.",
    ),
    "withdrawal-in-future": (
        WARNING,
        "Sản phẩm rút khỏi danh mục từ ngày {value}, sau ngày xét ({as_of}). Đến ngày đó trang ghi rõ ngày sẽ rút; không in nhãn mới cho sản phẩm này.",
        "The product leaves the catalogue on {value}, after the as-of date ({as_of}). Until then the page says when; no new label is printed.",
    ),
    # --- issue 17: withdrawal date and decision (statistics per year, the feed) ---
    "withdrawal-without-status": (
        WARNING,
        "Có {field} nhưng không có dòng 'status: withdrawn'. Thêm dòng đó nếu sản phẩm đã rút khỏi danh mục, hoặc xoá {field}.",
        "There is a {field} but no 'status: withdrawn'. Add it if the product was withdrawn, or remove {field}.",
    ),
    "withdrawn-without-date": (
        WARNING,
        "Sản phẩm đã rút khỏi danh mục nhưng chưa ghi ngày rút. Thêm dòng 'status_date: NĂM-THÁNG-NGÀY' (ví dụ status_date: \"2025-07-15\"): thống kê theo năm và nguồn tin của trang cần ngày này.",
        "The product is withdrawn but the date is missing. Add 'status_date: YYYY-MM-DD': the yearly statistics and the site's feed need it.",
    ),
    "withdrawal-before-decision": (
        ERROR,
        "Ngày rút khỏi danh mục {value} lại trước quyết định công nhận ngày {decision_date}.",
        "The withdrawal date {value} is before the recognition decision of {decision_date}.",
    ),
    # --- issue 14: hostile input, outputs, privacy --------------------------------------------
    "control-escape": (
        ERROR,
        "Giá trị trong dấu nháy kép viết một ký tự điều khiển ẩn {char} ({name}) bằng mã thoát (như {escape}, \\0, \\e, \\r). Xoá mã thoát này: ký tự ẩn có thể đảo chiều chữ trên trang, làm hỏng tệp dữ liệu mở hoặc ghi đè dòng trên màn hình.",
        "A double-quoted value writes a hidden control character {char} ({name}) as an escape (like {escape}, \\0, \\e, \\r). Delete the escape: hidden characters can reverse text on the page, break the open-data files or overwrite terminal lines.",
    ),
    "not-one-line": (
        ERROR,
        "{title}: giá trị {value} phải viết trên một dòng, nhưng có ký tự xuống dòng hoặc Tab (thường do dùng | hay > hoặc \\n trong dấu nháy). Viết cả giá trị ngay sau dấu hai chấm, trên cùng một dòng.",
        "{title}: {value} must be one line but holds a line break or a tab (usually from | or > or a \\n in quotes). Write the whole value right after the colon, on one line.",
    ),
    "status-lookalike": (
        WARNING,
        "{title}: {value} có chữ giống trạng thái hoặc hạng sao ({found}). Trạng thái và số sao do máy tính ra và hiện cạnh tên; ghi vào tên dễ làm người mua nhầm (ví dụ sản phẩm 3 sao mà tên có '5 sao'). Bỏ phần đó khỏi tên.",
        "{title}: {value} contains text that looks like a status or a star rating ({found}). Status and stars are computed and shown next to the name; in the name they mislead buyers. Remove it.",
    ),
    "not-a-regular-file": (
        ERROR,
        "Không đọc tệp này: đây là {what}, không phải tệp thường. Hồ sơ, ảnh, ocop.yaml và published-ids.txt phải là tệp thật nằm trong thư mục dữ liệu: chép nội dung vào một tệp thật thay cho nó.",
        "This file is not read: it is a {what}, not a regular file. Records, images, ocop.yaml and published-ids.txt must be real files inside the data folder.",
    ),
    "tracked-output": (
        ERROR,
        "Kho dữ liệu đang lưu {value} — kết quả hoặc bộ nhớ đệm do công cụ tạo (trang web, nhãn, .cache, .pickle). Những tệp này không được đưa vào kho: bỏ chúng khỏi pull request bằng git rm -r --cached {value} rồi commit lại.",
        "The repository tracks {value}, an output or cache the tool makes (site, labels, .cache, .pickle). These must not be committed: remove them with git rm -r --cached {value} and commit again.",
    ),
    "linked-folder": (
        ERROR,
        "Thư mục này là liên kết tượng trưng (symlink) nên không được đọc: nó có thể trỏ ra ngoài thư mục dữ liệu. Thay bằng một thư mục thật.",
        "This folder is a symbolic link and is not read: it could point outside the data folder. Replace it with a real folder.",
    ),
    "published-ids-deleted": (
        ERROR,
        "Tệp {manifest} đã bị xoá, nhưng lịch sử git cho thấy danh mục đã được công bố (commit {commit} còn tệp này). Không có tệp, máy không kiểm tra được nhãn đã in còn dẫn tới trang. Khôi phục: git checkout {commit} -- {manifest}",
        "{manifest} was deleted, but git history shows the catalogue was published (commit {commit} has it). Without it printed labels are not checked. Restore it: git checkout {commit} -- {manifest}",
    ),
    "published-ids-lines-removed": (
        WARNING,
        "{count} mã đã công bố (có trong {manifest} ở lịch sử git) không còn trong tệp, ví dụ {value}. Máy vẫn kiểm tra các mã này; chạy ocop manifest để ghi lại chúng (không bao giờ xoá dòng).",
        "{count} published ids (in {manifest} in git history) are no longer in the file, e.g. {value}. They are still checked; run ocop manifest to write them back (never remove lines).",
    ),
    "personal-data-unpublished": (
        WARNING,
        "Chủ thể là {kind_name}: {fields} là dữ liệu cá nhân và KHÔNG được công bố (trang web, dữ liệu mở, bản không cần mạng, danh mục in) vì hồ sơ chưa ghi chủ thể đồng ý (Nghị định 13/2023/NĐ-CP). Nếu chủ thể đã đồng ý bằng văn bản, ghi publish_consent với fields: [{keys}] và ngày đồng ý; nếu không, nên xoá các trường này khỏi hồ sơ.",
        "The producer is a {kind_name}: {fields} are personal data and are NOT published (site, open data, offline copy, booklet) because the record holds no consent (Decree 13/2023/NĐ-CP). If the producer agreed in writing, add publish_consent with fields: [{keys}] and the date; otherwise remove these fields from the record.",
    ),
    # --- issue 22: personal data outside the producer record (catalog/records/privacy.py) ---------------
    "product-personal-data-unpublished": (
        WARNING,
        "Chủ thể {producer} là {kind_name} và chưa đồng ý công bố {fields}: phần đó trong hồ sơ sản phẩm này ({where}) KHÔNG được công bố (Nghị định 13/2023/NĐ-CP) — địa chỉ trên giấy chứng nhận chỉ hiện từ xã trở lên, sự kiện lô hàng ghi \"không công bố\". Nếu chủ thể đã đồng ý bằng văn bản, ghi publish_consent với fields: [{keys}] trong hồ sơ chủ thể {producer}; nếu không, bỏ tên người, số điện thoại, thôn/bản khỏi các trường này.",
        "Producer {producer} is a {kind_name} and has not agreed to publish its {fields}: that part of this product record ({where}) is NOT published (Decree 13/2023/NĐ-CP) — the certificate's address shows from the commune up, lot events read \"not published\". If the producer agreed in writing, add publish_consent with fields: [{keys}] to producer {producer}; otherwise remove people's names, phone numbers and hamlets from these fields.",
    ),
    "sales-point-personal-data-unpublished": (
        WARNING,
        "Điểm bán do {kind_name} vận hành{guessed}: {fields} là dữ liệu cá nhân và KHÔNG được công bố (Nghị định 13/2023/NĐ-CP). Nếu người vận hành đã đồng ý bằng văn bản, ghi publish_consent với fields: [{keys}] và ngày đồng ý trong hồ sơ điểm bán; nếu không, nên xoá các trường này.",
        "The sales point is run by a {kind_name}{guessed}: {fields} are personal data and are NOT published (Decree 13/2023/NĐ-CP). If the operator agreed in writing, add publish_consent with fields: [{keys}] and the date to the sales point record; otherwise remove these fields.",
    ),
    "phone-in-free-text": (
        WARNING,
        "{title}: có số điện thoại {phone} trong đoạn văn {value}. Số điện thoại của một người là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP) và đoạn văn được công bố nguyên văn: ghi số vào trường phone của chủ thể hoặc điểm bán (nơi áp dụng quy tắc đồng ý công bố publish_consent) và xoá khỏi đoạn văn này.",
        "{title}: the text {value} holds the phone number {phone}. A person's phone number is personal data (Decree 13/2023/NĐ-CP) and text is published as typed: put the number in the producer's or sales point's phone field (where the publish_consent rule applies) and remove it from this text.",
    ),
}

# Severity words stay in English in the text format so that editors and CI tools can parse it.
SUMMARY = {
    "vi": "Đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo.",
    "en": "Checked {files} files: {errors} errors, {warnings} warnings.",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data. Positions are 1-based; 0 means 'the whole file'."""

    code: str
    file: str
    line: int = 0
    col: int = 0
    field: str = ""
    args: dict[str, Any] = _field(default_factory=dict, compare=False, hash=False)
    severity: str = ""

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"no message for problem code {self.code!r}")
        if not self.severity:
            object.__setattr__(self, "severity", MESSAGES[self.code][0])

    @property
    def sort_key(self) -> tuple:
        """File, line, column, field, code, then the English message — made only for two problems
        equal in all the rest (_ByMessage): at 15,000 products a build sorts ~6,300 warnings, and
        writing every message out cost 0.05 s of an edit's critical path."""
        return (self.file, self.line, self.col, self.field, self.code, _ByMessage(self))

    def message(self, lang: str = "vi") -> str:
        _, vi, en = MESSAGES[self.code]
        template = vi if lang == "vi" else en
        args = _Args(self.args)
        args.lang = lang
        return template.format_map(args)


class Hint:
    """A bilingual fragment inside a message (a suggestion, a fix)."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Hint({self.vi!r})"


def did_you_mean(value: str | None) -> Hint | str:
    if not value:
        return ""
    return Hint(f" Có phải ý bạn là '{value}'?", f" Did you mean '{value}'?")


def one_of(names: list[str]) -> Hint:
    """'A' / 'A' hoặc 'B' / 'A', 'B' hoặc 'C' (English: or)."""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return Hint(quoted[0], quoted[0])
    return Hint(", ".join(quoted[:-1]) + " hoặc " + quoted[-1], ", ".join(quoted[:-1]) + " or " + quoted[-1])


def former_commune_hint(status: str, wards: list[tuple[str, str, str, list[str]]]) -> Hint:
    """Where an old commune name went: ``wards`` are (old name, former district, former province,
    names in force it became), from :func:`catalog.reference.places.convert` (status converted, split or ambiguous)."""
    def where(ward: tuple) -> str:
        return f"{ward[0]} ({ward[1]}, {ward[2]})"

    if status == "ambiguous":
        vi = "; ".join(f"{where(w)} nay là {one_of(w[3]).vi}" for w in wards)
        en = "; ".join(f"{where(w)} is now {one_of(w[3]).en}" for w in wards)
        return Hint(f" Trước 01/7/2025 có {len(wards)} xã/phường tên này ở các huyện khác nhau: {vi}. Chọn theo huyện cũ của chủ thể.",
                    f" Before 1 Jul 2025 {len(wards)} communes of this name were in different districts: {en}. Choose by the producer's former district.")
    (ward,) = wards
    became = one_of(ward[3])
    if status == "split":
        return Hint(f" Trước 01/7/2025 đó là {where(ward)}, nay chia cho {became.vi}: ghi xã nơi chủ thể sản xuất.",
                    f" Before 1 Jul 2025 this was {where(ward)}, since split between {became.en}: write the one where the producer is.")
    return Hint(f" Trước 01/7/2025 đó là {where(ward)}; nay là {became.vi}.",
                f" Before 1 Jul 2025 this was {where(ward)}; it is now {became.en}.")


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# Arguments shown as a record has them, never as a date in words: an example to type. (Probe, round
# seven: "Thêm dòng, ví dụ: date: 15/03/2024" — the schema's example 2024-03-15 turned into the way
# Vietnamese write a date, which the schema refuses: a record's dates are NĂM-THÁNG-NGÀY only.)
AS_TYPED = frozenset({"example"})


class _Args(dict):
    """Fills a template; a missing argument shows as an empty string rather than failing."""

    lang = "vi"

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, Hint):
            return value.vi if self.lang == "vi" else value.en
        if key not in AS_TYPED and (isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value))):
            # dates the tool states (not what was typed: that is quoted) read as Vietnamese write them
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()
        return value

    def __missing__(self, key: str) -> str:
        return ""


def quote(value: Any) -> str | Hint:
    """What the person typed, quoted the way they would recognise it (never a Python repr)."""
    if value is None:
        return Hint("(để trống)", "(empty)")
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return Hint("một danh sách", "a list")
    if isinstance(value, dict):
        return Hint("một nhóm trường", "a group of fields")
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"'{visible(text)}'"  # a CR or a bidi override typed in a value must not reach the terminal as itself


class _ByMessage:
    """The last part of Problem.sort_key: compares two problems by their English message, made
    when a comparison first needs it (a tuple compares its items in turn, and stops at the first
    that differs)."""

    __slots__ = ("problem", "_text")

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._text: str | None = None

    def text(self) -> str:
        text = self._text
        if text is None:
            text = self._text = self.problem.message("en")
        return text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByMessage) and self.text() == other.text()

    def __lt__(self, other: "_ByMessage") -> bool:
        return self.text() < other.text()

    __hash__ = None  # type: ignore[assignment]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.sort_key)


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    errors = warnings = 0
    for p in problems:
        if p.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def format_text(problem: Problem, lang: str = "vi") -> str:
    where = f"{visible(problem.file)}:{problem.line}:{problem.col}"
    field_part = f" {visible(problem.field)}:" if problem.field else ""
    # the message too: it may repeat a name from the data (a folder's, probe round five: a newline in it
    # printed a line of its own, a forged "0 lỗi" summary)
    return f"{where}: {problem.severity}:{field_part} {visible(problem.message(lang))} [{problem.code}]"


def summary(files: int, problems: list[Problem], lang: str) -> str:
    """The last line of a report; in English "1 error", "1 warning", "1 file" take no plural s."""
    errors, warnings = count(problems)
    text = SUMMARY[lang].format(files=files, errors=errors, warnings=warnings)
    if lang == "en":
        for n, word in ((files, "files"), (errors, "errors"), (warnings, "warnings")):
            if n == 1:
                text = re.sub(rf"\b1 {word}\b", f"1 {word[:-1]}", text, count=1)
    return text


def report_text(problems: list[Problem], files: int, lang: str = "vi") -> str:
    lines = [format_text(p, lang) for p in problems]
    lines.append(summary(files, problems, lang))
    return "\n".join(lines)


def report_json(problems: list[Problem], files: int, lang: str = "vi") -> str:
    errors, warnings = count(problems)
    doc = {
        "files": files,
        "errors": errors,
        "warnings": warnings,
        "problems": [
            {
                "code": p.code,
                "severity": p.severity,
                "file": p.file,
                "line": p.line,
                "column": p.col,
                "field": p.field,
                "message": p.message(lang),
            }
            for p in problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _escape_github(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def report_github(problems: list[Problem], files: int, lang: str = "vi") -> str:
    """GitHub Actions workflow commands: one ``::error file=…,line=…,col=…::message`` each."""
    lines = []
    for p in problems:
        props = f"file={_escape_github(p.file, True)}"
        if p.line:
            props += f",line={p.line},col={p.col or 1}"
        title = _escape_github(f"{p.field or p.file} [{p.code}]", True)
        lines.append(f"::{p.severity} {props},title={title}::{_escape_github(p.message(lang))}")
    lines.append(summary(files, problems, lang))
    return "\n".join(lines)


REPORTERS = {"text": report_text, "json": report_json, "github": report_github}
