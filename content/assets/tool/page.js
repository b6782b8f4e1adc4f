// The decision tool's page glue: collect what is typed, post it to the Python worker,
// render the view it returns into the page's templates. No rule of the procedure lives
// here: which question comes next, which route, which date and which number to ring
// are all decided in Python (tool/escalation/journey.py).

const tool = document.getElementById("tool");
const statusLine = document.getElementById("tool-status");
const STORE = "escalation-tool-state"; // sessionStorage: survives a reload, not the tab
const LOAD_TIMEOUT_MS = 60000; // loadPyodide can hang rather than fail

let state = restore();
let worker = null;
let nextId = 1;
const pending = new Map();

function blank() {
  return { answers: {}, start: "", completed: {} };
}

function restore() {
  try {
    return { ...blank(), ...JSON.parse(sessionStorage.getItem(STORE) || "{}") };
  } catch {
    return blank();
  }
}

function save() {
  sessionStorage.setItem(STORE, JSON.stringify(state));
}

function setStatus(status, message) {
  tool.dataset.toolStatus = status;
  statusLine.textContent = message;
}

function fail(message) {
  setStatus("failed", message);
  if (worker) worker.terminate();
}

function call(type, payload) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, type, payload });
  });
}

// The UK wall-clock time, whatever the device's own time zone: the emergency number
// depends on it.
function ukNow() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function fill(template, slots) {
  const node = document.getElementById(template).content.firstElementChild.cloneNode(true);
  for (const [name, text] of Object.entries(slots)) {
    const slot = node.querySelector(`[data-slot="${name}"]`);
    if (slot) slot.textContent = text ?? "";
  }
  return node;
}

// --- what was typed goes back into the fields after a reload ---------------------------

function showTyped() {
  for (const [question, answer] of Object.entries(state.answers)) {
    for (const radio of tool.querySelectorAll(`input[data-question="${question}"]`)) {
      radio.checked = radio.value === answer;
    }
  }
  document.getElementById("start").value = state.start || "";
  for (const input of tool.querySelectorAll("input[data-stage]")) {
    input.value = state.completed[input.dataset.stage] || "";
  }
}

// --- rendering the view Python returned -------------------------------------------------

function renderChooser(chooser) {
  for (const fieldset of tool.querySelectorAll("fieldset.tool-question")) {
    fieldset.hidden = fieldset.dataset.question !== chooser.question;
  }
  tool.querySelector('[data-action="back"]').hidden = chooser.asked.length === 0;

  const list = document.getElementById("answers-list");
  list.replaceChildren(...chooser.asked.map((step) => {
    const row = fill("tpl-answer", {
      question: step.text, answer: step.answer, "change-what": ` your answer to: ${step.text}`,
    });
    row.querySelector('[data-action="change"]').dataset.question = step.question;
    return row;
  }));
  document.getElementById("answers-summary").hidden = chooser.asked.length === 0;

  const route = chooser.route;
  document.getElementById("route").hidden = !route;
  if (!route) return;
  document.getElementById("route").classList.toggle("tool-route--emergency", route.emergency);
  document.getElementById("route-title").textContent = route.title;
  document.getElementById("route-why").textContent = route.why;
  document.getElementById("route-do-now").replaceChildren(...route.do_now.map((step) => {
    const item = document.createElement("li");
    item.textContent = step;
    return item;
  }));
  document.getElementById("route-contacts").replaceChildren(...route.contacts.map((c) => fill(
    "tpl-contact", {
      name: c.team ? `${c.name} (${c.team}):` : `${c.name}:`,
      reach: [c.phone && `${c.phone}${c.phone_note ? ` (${c.phone_note})` : ""}`, c.email]
        .filter(Boolean).join(" or "),
    })));
}

function renderPlan(plan) {
  const wrong = new Map(plan.problems.map((p) => [p.field, p.message]));
  for (const error of tool.querySelectorAll(".tool-error")) {
    const field = error.id.replace(/^error-/, "");
    const message = wrong.get(field);
    error.hidden = !message;
    error.textContent = message ? `Error: ${message}` : "";
    document.getElementById(field).setAttribute("aria-invalid", message ? "true" : "false");
  }
  const rows = plan.stages.map((s) => fill("tpl-stage", {
    stage: `Stage ${s.number}: ${s.name}`,
    who: s.who,
    due: s.due_text + (s.caveat ? ` (${s.caveat})` : ""),
    status: s.status_text + (s.completed ? `, ${s.late ? "late, " : ""}completed ${s.completed}` : ""),
  }));
  document.getElementById("plan-rows").replaceChildren(...rows);
  document.getElementById("plan-table").hidden = rows.length === 0;
  const end = document.getElementById("latest-end");
  end.hidden = !plan.latest_end;
  end.textContent = plan.latest_end ? `The whole process ends no later than ${plan.latest_end}.` : "";
  const drift = document.getElementById("drift");
  drift.hidden = !plan.drift;
  drift.textContent = plan.drift || "";
}

function renderEmergency(emergency) {
  const line = document.getElementById("emergency-now");
  line.hidden = false;
  line.textContent = `Right now, ring ${emergency.name} on ${emergency.phone}. ` +
    `If a child is in immediate danger, ring ${emergency.police}.`;
}

async function refresh(focus) {
  if (tool.dataset.toolStatus !== "ready") return;
  const view = await call("view", { state, now: ukNow() });
  renderEmergency(view.emergency);
  renderChooser(view.chooser);
  renderPlan(view.plan);
  if (focus === "chooser") {
    const target = view.chooser.route
      ? document.getElementById("route-title")
      : tool.querySelector(`fieldset[data-question="${view.chooser.question}"] legend h3`);
    if (target) {
      target.tabIndex = -1;
      target.focus();
    }
  }
}

// --- what the person does ---------------------------------------------------------------

tool.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "answer") {
    const question = button.dataset.question;
    const chosen = tool.querySelector(`input[data-question="${question}"]:checked`);
    if (!chosen) {
      tool.querySelector(`input[data-question="${question}"]`).focus();
      return;
    }
    state.answers[question] = chosen.value;
  } else if (action === "change") {
    // The answer is taken back so the question is asked again; the radio keeps it
    // selected, and later answers are kept for when the path comes back to them.
    delete state.answers[button.dataset.question];
  } else if (action === "back") {
    const asked = [...document.querySelectorAll("#answers-list [data-action='change']")];
    if (asked.length) delete state.answers[asked[asked.length - 1].dataset.question];
  } else if (action === "start-again") {
    state = blank();
    showTyped();
  }
  save();
  refresh("chooser");
});

tool.addEventListener("change", (event) => {
  const input = event.target;
  if (input.id === "start") state.start = input.value;
  else if (input.dataset.stage) {
    if (input.value) state.completed[input.dataset.stage] = input.value;
    else delete state.completed[input.dataset.stage];
  } else return;
  save();
  refresh();
});

async function start() {
  showTyped();
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("This browser cannot run the calculator (WebAssembly or web workers are blocked " +
      "or missing). Everything else on this site still works: the stages and their " +
      "timescales are in the FaST Resolution Process chapter.");
    return;
  }
  worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    const waiting = pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id);
    if (data.error) waiting.reject(new Error(data.error));
    else waiting.resolve(data.result);
  };
  worker.onerror = () => fail("The calculator could not start in this browser. The guidance " +
    "on this site still applies: the stages and timescales are in the FaST chapter.");
  const base = new URL("./", window.location.href).href;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), LOAD_TIMEOUT_MS);
  });
  try {
    await Promise.race([call("init", { base }), timeout]);
  } catch {
    fail("The calculator could not be loaded, so dates are not worked out here. The " +
      "guidance on this site still applies: the stages and timescales are in the FaST " +
      "Resolution Process chapter.");
    return;
  } finally {
    clearTimeout(timer);
  }
  setStatus("ready", "The calculator is ready.");
  refresh();
}

start();
