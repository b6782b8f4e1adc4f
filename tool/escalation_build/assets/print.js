// Printed pages say when they were printed and where to check for updates (issue 5).
// The moment is the moment of printing, not of the build: the line is written when the
// page loads and again just before the browser prints.

const footer = document.createElement("p");
footer.className = "print-footer";
footer.setAttribute("aria-hidden", "true"); // for paper only; screen readers skip it

function stamp() {
  // UK time, written the GOV.UK way: Monday 1 March 2027 at 14:05.
  const part = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", weekday: "long", day: "numeric", month: "long",
    year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  const when = `${part.weekday} ${part.day} ${part.month} ${part.year} at ${part.hour}:${part.minute}`;
  const address = location.href.split("#")[0];
  footer.textContent = `This page is correct as printed on ${when}. Check ${address} for updates.`;
}

stamp();
(document.querySelector(".md-content") || document.body).append(footer);
window.addEventListener("beforeprint", stamp);
