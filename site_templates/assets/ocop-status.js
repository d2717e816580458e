// Re-check the certificate status against today's date in Vietnam, so a page built before a
// certificate lapsed still says it has lapsed. Labels come from the page (data-label-*):
// no interface text lives in this file. Revoked/withdrawn are final and never changed here.
(function () {
  "use strict";
  var box = document.querySelector("[data-ocop-status]");
  if (!box || box.getAttribute("data-final") === "true") return;
  var today;
  try {
    today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch (e) {
    var d = new Date(Date.now() + 7 * 3600 * 1000);
    today = d.toISOString().slice(0, 10);
  }
  var validUntil = box.getAttribute("data-valid-until");
  var decided = box.getAttribute("data-decided");
  var days = Math.round((Date.parse(validUntil) - Date.parse(today)) / 86400000);
  var status = "valid";
  if (decided > today) status = "pending";
  else if (validUntil < today) status = "expired";
  else if (days <= parseInt(box.getAttribute("data-expiring-days"), 10)) status = "expiring";

  var previous = box.getAttribute("data-ocop-status");
  box.setAttribute("data-ocop-status", status);
  box.className = box.className.replace("ocop-cert--" + previous, "ocop-cert--" + status);
  var label = box.querySelector("[data-ocop-status-label]");
  var badge = document.createElement("span");
  badge.className = "ocop-badge ocop-badge--" + status;
  badge.textContent = box.getAttribute("data-label-" + status);
  label.replaceChildren(badge);
  var notice = box.querySelector("[data-ocop-notice]");
  var text = box.getAttribute("data-notice-" + status);
  if (text) { notice.textContent = text; notice.hidden = false; } else { notice.textContent = ""; notice.hidden = true; }
  var checked = box.querySelector("[data-ocop-checked]");
  var parts = today.split("-");
  checked.textContent = box.getAttribute("data-checked-browser").replace("{date}", parts[2] + "/" + parts[1] + "/" + parts[0]);
})();
