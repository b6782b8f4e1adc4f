// The decision tool's page glue: collect what is typed, post it to the Python worker,
// render the view it returns into the page's templates. No rule of the procedure lives
// here: which question comes next, which route, which date and which number to ring
// are all decided in Python (tool/escalation/tool_view.py, through journey.py).

const tool = document.getElementById("tool");
// The state's empty shape and the names of its parts come from Python (state_paths.py
// and case.py, written onto the tool's root element), so the two cannot disagree.
const PATHS = tool.dataset;
const statusLine = document.getElementById("tool-status");
const STORE = "escalation-tool-state"; // sessionStorage: survives a reload, not the tab
const UNSAVED = "escalation-tool-unsaved"; // typed since the last case file was saved
const STALL_MS = 20000; // loading with no progress for this long has hung: give up

// Keys a state path may never pass through: they are no data of the case, and following
// them would reach (and change) every object's prototype.
const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);

let state = restore();
let worker = null;
let nextId = 1;
const pending = new Map();
let lastView = null;

// A case's own random id: its calendar reminders keep one identity across imports.
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0")).join("");
}

function blank() {
  return { ...JSON.parse(PATHS.blankState), id: newId() };
}

function answers() {
  if (!state[PATHS.stateAnswers] || typeof state[PATHS.stateAnswers] !== "object") {
    state[PATHS.stateAnswers] = {};
  }
  return state[PATHS.stateAnswers];
}

function isBlank(value) {
  if (value && typeof value === "object") return Object.values(value).every(isBlank);
  return !value;
}

// The state as plain data: texts and sets of named texts, nothing else, no unsafe key.
function plain(value) {
  if (typeof value === "string") return value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const copy = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = UNSAFE.has(key) ? undefined : plain(item);
    if (kept !== undefined) copy[key] = kept;
  }
  return copy;
}

function restore() {
  try {
    const kept = { ...blank(), ...plain(JSON.parse(sessionStorage.getItem(STORE) || "{}")) };
    return kept.id ? kept : { ...kept, id: newId() };
  } catch {
    return blank();
  }
}

// Whether the tab could keep its last copy: when the browser's storage is full, the plan
// still recomputes and the page asks for a case file instead (a reload would lose it).
let stored = true;

function save() {
  edits += 1;
  try {
    sessionStorage.setItem(STORE, JSON.stringify(state));
    if (!stored) showStorageFull(false);
    stored = true;
  } catch {
    if (stored) showStorageFull(true);
    stored = false;
  }
}

// The note is an alert: shown, it is announced.
function showStorageFull(full) {
  document.getElementById("storage-full").hidden = !full;
}

function markUnsaved(unsaved) {
  try {
    if (unsaved) sessionStorage.setItem(UNSAVED, "1");
    else sessionStorage.removeItem(UNSAVED);
  } catch {
    // Storage full: save() has said so already, and the recompute must still happen.
  }
}

// The stage of the email being written: the one chosen, else the one Python shows (the
// one being shown, while the first view after a reload is drawn, before lastView is set).
function emailStage() {
  // Read as written: its path has no marker, and resolving one would ask this again.
  return valueAt(PATHS.stateEmailStage.split(".")) || shownStage ||
    (lastView && lastView.email && lastView.email.stage) || "";
}

// The procedure being planned: the one Python last showed, else the partnership's main one.
// Each procedure keeps its own dates and stage records (state.plans.<id>).
function planned() {
  return lastView ? lastView.plan.procedure_id || "" : tool.dataset.procedure;
}

// A field's place in the state is written on it: data-state="plans.%.stages.2.who"; "%"
// stands for the procedure being planned, "@" for the stage of the email being written
// (data-state="emails.@.recipient_name"). The markers are Python's (state_paths.py).
function resolve(path) {
  return path.replace(PATHS.stateProcedure, planned()).replace(PATHS.stateEmail, emailStage());
}

// The path's keys, or null when one is no key of the case's own data (a stage or
// procedure id from a damaged state could name __proto__): such a path is refused.
function keysOf(path) {
  const keys = resolve(path).split(".");
  return keys.every((key) => key && !UNSAFE.has(key)) ? keys : null;
}

function valueAt(keys) {
  return keys.reduce((node, key) => (node && typeof node === "object" && Object.hasOwn(node, key)
    ? node[key] : undefined), state);
}

function getPath(path) {
  const keys = keysOf(path);
  return keys ? valueAt(keys) : undefined;
}

function setPath(path, value) {
  const keys = keysOf(path);
  if (!keys) return false;
  const last = keys.pop();
  let node = state;
  for (const key of keys) {
    if (!Object.hasOwn(node, key) || !node[key] || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  if (value) node[last] = value;
  else delete node[last];
  return true;
}

function announce(message) {
  const live = document.getElementById("tool-announce");
  live.textContent = "";
  setTimeout(() => { live.textContent = message; }, 50);
}

// A message for what a button did, shown beside it as well as announced: a button never
// does nothing visibly.
function tell(message, near) {
  announce(message);
  const shown = document.getElementById("tool-message");
  shown.textContent = message;
  shown.hidden = false;
  const place = near && near.closest(".tool-actions, p, .tool-field, fieldset");
  if (place) place.after(shown);
}

function setStatus(status, message) {
  tool.dataset.toolStatus = status;
  statusLine.textContent = message;
}

function fail(message) {
  setStatus("failed", message);
  loaded();
  if (worker) worker.terminate();
  // Nothing will answer now: settle every question asked, so nothing waits for ever.
  for (const waiting of pending.values()) waiting.reject(new Error("the calculator stopped"));
  pending.clear();
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

// Each text as a list item, as text.
function listItems(texts) {
  return texts.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  });
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

function showTyped(which = "[data-state]") {
  // The chooser's radios only when every field is shown again (a reload, a case opened,
  // everything cleared): a view that shows one email's or one procedure's fields must not
  // undo an answer checked but not yet confirmed with Continue.
  if (which === "[data-state]") {
    for (const radio of tool.querySelectorAll("input[data-question]")) {
      radio.checked = answers()[radio.dataset.question] === radio.value;
    }
  }
  for (const input of tool.querySelectorAll(which)) {
    const value = getPath(input.dataset.state);
    if (input.type === "radio") input.checked = value === input.value;
    else input.value = typeof value === "string" ? value : "";
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
  document.getElementById("route-do-now").replaceChildren(...listItems(route.do_now));
  document.getElementById("route-contacts").replaceChildren(...route.contacts.map(contactItem));
}

// One contact: its number as a tap-to-call link, its address as a mail link. Python has
// put them in order: the line to ring now first.
function contactItem(c) {
  const item = fill("tpl-contact", {
    name: c.team ? `${c.name} (${c.team}):` : `${c.name}:`, now: c.now ? `${c.now}: ` : "", note: c.note || "",
  });
  const reach = item.querySelector('[data-slot="reach"]');
  const link = (href, text) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  };
  const parts = [];
  if (c.phone) parts.push([link(c.tel, c.phone), c.phone_note ? ` (${c.phone_note})` : ""]);
  if (c.email) parts.push([link(c.mailto, c.email), ""]);
  if (c.textphone) parts.push([`textphone ${c.textphone}`, ""]);
  if (c.web) parts.push(["go to ", link(c.web, c.web)]);
  parts.forEach((said, i) => {
    if (i) reach.append(" or ");
    reach.append(...said);
  });
  if (c.address) reach.append(`${parts.length ? "; " : ""}write to ${c.address}`);
  for (const slot of item.querySelectorAll('[data-slot="now"], [data-slot="note"]')) {
    slot.hidden = !slot.textContent;
  }
  return item;
}

function showError(field, message) {
  const error = document.getElementById(`error-${field}`);
  error.hidden = !message;
  error.textContent = message ? `Error: ${message}` : "";
  document.getElementById(field).setAttribute("aria-invalid", message ? "true" : "false");
  const record = error.closest("details");
  if (message && record) record.open = true;
}

function renderPlan(plan) {
  const wrong = new Map(plan.problems.map((p) => [p.field, p.message]));
  for (const error of tool.querySelectorAll(".tool-error[data-field-error]")) {
    showError(error.dataset.fieldError, wrong.get(error.dataset.fieldError));
  }
  const none = document.getElementById("plan-none");
  none.hidden = !plan.none;
  none.textContent = plan.none || "";
  document.getElementById("plan-inputs").hidden = Boolean(plan.none);
  document.getElementById("plan-procedure").textContent = plan.procedure ? `${plan.procedure}.` : "";
  if (plan.start_label) document.querySelector('label[for="start"]').textContent = plan.start_label;
  // The page's own sentences name the planned procedure's stages in its word ("steps").
  const words = { stage: plan.words.stage, stages: plan.words.stages, Stage: plan.words.Stage };
  for (const word of tool.querySelectorAll("[data-word]")) {
    const said = words[word.dataset.word] ?? word.textContent;
    if (word.textContent !== said) word.textContent = said;
  }
  const time = tool.querySelector('[data-field="start-time"]');
  if (time) {
    time.hidden = !plan.time_label;
    if (plan.time_label) time.querySelector("label").textContent = plan.time_label;
  }
  const shown = new Map(plan.records.map((r) => [String(r.number), r.summary]));
  for (const record of tool.querySelectorAll("details.tool-stage")) {
    const number = record.id.replace("record-", "");
    record.hidden = !shown.has(number);
    if (shown.has(number)) document.getElementById(`record-${number}-name`).textContent = shown.get(number);
  }
  // Fields a procedure has of its own (its steps' dates, its priority question): only the
  // planned procedure's are shown.
  for (const own of tool.querySelectorAll(".tool-own-fields[data-procedure]")) {
    own.hidden = own.dataset.procedure !== plan.procedure_id;
  }
  // A stage's steps, each with its own clock, are listed under it.
  const row = (template, title, s, done) => {
    const node = fill(template, {
      stage: title,
      who: s.who || "",
      due: s.due_text + (s.caveat ? ` (${s.caveat})` : ""),
      status: s.status_text + (s.completed ? `: ${s.late ? "late, " : ""}${done} ${s.completed}` : ""),
    });
    node.dataset.status = s.status; // the styles mark an overdue row by more than colour
    return node;
  };
  // What else to do at a stage (duties, forms, whom to tell), under its name.
  const withTasks = (node, tasks) => {
    if (tasks.length) {
      const list = document.createElement("ul");
      list.className = "tool-plan__tasks";
      list.replaceChildren(...listItems(tasks));
      node.querySelector("th").append(list);
    }
    return node;
  };
  const rows = plan.stages.flatMap((s) => [
    withTasks(row("tpl-stage", s.title + (s.when ? ` (${s.when})` : ""), s,
      "completed"), s.tasks),
    ...s.steps.map((t) => row("tpl-step", t.name, t, "done")),
  ]);
  document.getElementById("plan-rows").replaceChildren(...rows);
  document.getElementById("plan-table").hidden = rows.length === 0;
  const end = document.getElementById("latest-end");
  end.hidden = !plan.end;
  end.textContent = plan.end || "";
  const duties = document.getElementById("plan-duties");
  duties.hidden = plan.duties.length === 0;
  duties.replaceChildren(...listItems(plan.duties));
  const drift = document.getElementById("drift");
  drift.hidden = !plan.drift;
  // role="alert": rewriting the same words would announce them again at every keystroke.
  if (drift.textContent !== (plan.drift || "")) drift.textContent = plan.drift || "";
}

const PER_EMAIL = '[data-state*="@"]';
let shownStage = null;

function renderEmail(email) {
  // Another email shown (chosen, or the next one once a stage is done): its own answers.
  if (email && email.stage !== shownStage) {
    shownStage = email.stage;
    showTyped(PER_EMAIL);
  }
  const preview = document.getElementById("email-preview");
  preview.hidden = !email;
  if (!email) return;
  const used = new Set(email.fields.map((id) => `field-${id}`));
  for (const field of document.querySelectorAll(
    "section[aria-labelledby='step-emails'] [data-field^='field-']")) {
    field.hidden = !used.has(field.dataset.field);
  }
  for (const radio of tool.querySelectorAll('input[name="email-stage"]')) {
    radio.checked = radio.value === email.stage;
  }
  document.getElementById("email-heading").textContent = email.heading;
  document.getElementById("email-instruction").textContent = email.instruction;
  document.getElementById("email-needs-agency").hidden = !email.needs_agency;
  document.getElementById("email-to").textContent = email.to || "(choose the agency)";
  document.getElementById("email-cc").textContent = email.cc;
  document.getElementById("email-subject").textContent = email.subject;
  document.getElementById("email-body").replaceChildren(...email.body.split(/\n{2,}/).map((text) => {
    const paragraph = document.createElement("p");
    paragraph.textContent = text;
    return paragraph;
  }));
  const address = tool.querySelector('[data-field="email-to-address"]');
  if (address) {
    address.hidden = !email.asks_address;
    showError("email-to-address", email.address_problem);
  }
  const mailto = document.getElementById("email-mailto");
  mailto.hidden = !email.mailto;
  if (email.mailto) mailto.href = email.mailto;
}

// A step this route has nothing for says so (a partnership without that step has no note).
function showNote(id, text, step, applies) {
  const note = document.getElementById(id);
  if (!note) return;
  note.hidden = !text;
  note.textContent = text || "";
  // The step's fields are not offered as if they applied to a route they do not.
  const fields = document.getElementById(step);
  if (fields) fields.hidden = !applies;
}

function renderForm(form) {
  // form.html is made by the engine, which escapes everything typed (appendix.form_html):
  // the same function prints the site's blank form.
  const preview = document.getElementById("form-preview");
  if (form) preview.innerHTML = form.html;
  else preview.replaceChildren();
}

function renderEmergency(emergency) {
  const line = document.getElementById("emergency-now");
  line.hidden = false;
  line.textContent = emergency.text;
}

// The latest recompute, so that copying, printing or opening the email waits for what was
// just typed to be in it; and the pause after typing before recomputing.
let inFlight = Promise.resolve();
let typing = null;
let queued = 0;

// data-tool-busy is "true" from a change until the view shows it: tests and monitoring
// wait on it rather than on time.
function showBusy() {
  tool.dataset.toolBusy = String(Boolean(typing) || queued > 0);
}

function refresh(focus) {
  queued += 1;
  showBusy();
  inFlight = inFlight.then(() => render(focus)).catch((error) => {
    announce(`Something went wrong working this out: ${error.message}`);
  }).finally(() => {
    queued -= 1;
    showBusy();
  });
  return inFlight;
}

async function settle() {
  if (typing) {
    clearTimeout(typing);
    typing = null;
    refresh();
  }
  await inFlight;
}

// Counts changes to the state: a view computed before the latest change is not shown (a
// newer recompute is on its way), so an answer just given never flickers back.
let edits = 0;

async function render(focus) {
  if (tool.dataset.toolStatus !== "ready") {
    if (focus === "chooser") showWaiting();
    return;
  }
  const began = performance.now();
  const seen = edits;
  const view = await call("view", { state, now: ukNow() });
  if (seen !== edits) return;
  renderEmergency(view.emergency);
  renderChooser(view.chooser);
  renderPlan(view.plan);
  // A partnership without templates or a form has no such step on its page.
  if (document.getElementById("email-preview")) renderEmail(view.email);
  if (document.getElementById("form-preview")) renderForm(view.form);
  showNote("email-none", view.email_note, "email-step", Boolean(view.email));
  showNote("form-none", view.form_note, "form-step", Boolean(view.form));
  const note = document.getElementById("calendar-note");
  note.hidden = !view.calendar_note;
  note.textContent = view.calendar_note || "";
  // Another procedure planned (the route changed): show its own dates and records.
  const moved = !lastView || lastView.plan.procedure_id !== view.plan.procedure_id;
  lastView = view;
  if (moved) showTyped('[data-state*="%"]');
  // For benchmarks/tool_load.py: one recompute, from the change to the page updated.
  performance.measure("tool-recompute", { start: began, end: performance.now() });
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

async function download(what, button) {
  if (tool.dataset.toolStatus !== "ready") {
    tell("The calculator is not ready, so the file cannot be made yet.", button);
    return;
  }
  let file;
  try {
    file = await call("download", { state, now: ukNow(), utc: new Date().toISOString(), what });
  } catch (error) {
    tell(`The file could not be made: ${error.message}.`, button);
    return;
  }
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  if (what === "case") markUnsaved(false);
  tell(`${file.name} downloaded.`, button);
}

const COPY = { "email-to": ["to", "To"], "email-cc": ["cc", "Cc"],
  "email-subject": ["subject", "The subject"], "email-body": ["body", "The message"] };

async function copy(target, button) {
  await settle();
  const [part, name] = COPY[target];
  const text = lastView && lastView.email ? lastView.email[part] : "";
  try {
    await navigator.clipboard.writeText(text);
    tell(`${name} copied.`, button);
  } catch {
    // No clipboard (an old browser or a blocked permission): select it to copy by hand.
    const range = document.createRange();
    range.selectNodeContents(document.getElementById(target));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    tell("Selected: press Control and C (or Command and C) to copy.", button);
  }
}

function clearEverything(button) {
  // Asked once: what is forgotten cannot be brought back unless it was saved.
  if (!window.confirm("Clear everything you typed in this tab? It cannot be brought back " +
      "unless you saved a case file.")) {
    tell("Nothing was cleared.", button);
    return;
  }
  state = blank();
  edits += 1;
  sessionStorage.removeItem(STORE);
  markUnsaved(false);
  for (const details of tool.querySelectorAll("details.tool-stage")) details.open = false;
  showTyped();
  refresh("chooser");
  if (!stored) showStorageFull(false);
  stored = true;
  tell("Everything you typed has been cleared from this browser tab.", button);
}

tool.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "download") return download(button.dataset.file, button);
  if (action === "copy") return copy(button.dataset.copy, button);
  if (action === "print-form" || action === "print") {
    // The button prints its own part; Ctrl+P prints what "When you print" says.
    const chosen = tool.dataset.print;
    tool.dataset.print = action === "print-form" ? "form" : button.dataset.print;
    return settle().then(() => window.print()).finally(() => { tool.dataset.print = chosen; });
  }
  if (action === "clear") return clearEverything(button);
  if (action === "answer") {
    const question = button.dataset.question;
    const chosen = tool.querySelector(`input[data-question="${question}"]:checked`);
    if (!chosen) {
      tell("Choose an answer first.", button);
      tool.querySelector(`input[data-question="${question}"]`).focus();
      return;
    }
    answers()[question] = chosen.value;
  } else if (action === "change") {
    // The answer is taken back so the question is asked again; the radio keeps it
    // selected, and later answers are kept for when the path comes back to them.
    delete answers()[button.dataset.question];
  } else if (action === "back") {
    const asked = [...document.querySelectorAll("#answers-list [data-action='change']")];
    if (asked.length) delete answers()[asked[asked.length - 1].dataset.question];
  } else if (action === "start-again") {
    state[PATHS.stateAnswers] = {};
    for (const radio of tool.querySelectorAll("input[data-question]")) radio.checked = false;
  }
  save();
  markUnsaved(true);
  refresh("chooser");
});

function typed(event) {
  const input = event.target;
  if (!input.dataset || !input.dataset.state) return;
  if (input.type === "radio" && !input.checked) return;
  showRoomLeft(input);
  if (!setPath(input.dataset.state, input.value)) return;
  if (input.dataset.state === PATHS.stateEmailStage) showTyped(PER_EMAIL);
  save();
  markUnsaved(true);
  // Recompute as the person types, but not at every key: a short pause is enough.
  clearTimeout(typing);
  typing = null;
  if (event.type === "change") refresh();
  else {
    typing = setTimeout(() => { typing = null; refresh(); }, 150);
    showBusy();
  }
}

tool.addEventListener("input", typed);
tool.addEventListener("change", (event) => {
  if (event.target.dataset && "printChoice" in event.target.dataset) {
    tool.dataset.print = event.target.value;
  }
});
tool.addEventListener("change", typed);

// The email link carries what was typed: if a recompute is pending, wait for it first.
document.getElementById("email-mailto")?.addEventListener("click", async (event) => {
  if (!typing) return;
  const link = event.currentTarget; // gone from the event once it has been handled
  event.preventDefault();
  await settle();
  window.location.href = link.href;
});

document.getElementById("open-case").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files && input.files[0];
  if (!file) return;
  if (tool.dataset.toolStatus !== "ready") {
    input.value = "";
    tell("The calculator is not ready, so the case file cannot be opened yet.", input);
    return;
  }
  const refuse = (message) => {
    input.value = "";
    showError("open-case", `${message} Nothing you typed here has changed.`);
  };
  // Not even read: a case file is a few kilobytes (the engine checks the text again).
  if (file.size > MAX_CASE_FILE_BYTES) {
    refuse(`This file is too large to be a case file saved by this tool (${megabytes(file.size)}).`);
    return;
  }
  queued += 1; // busy until the opened case is shown
  showBusy();
  let opened;
  try {
    opened = { ...blank(), ...plain(await call("open", { text: await file.text() })) };
    if (!opened.id) opened.id = newId(); // a file from before cases had ids
  } catch (error) {
    refuse(error.message);
    return;
  } finally {
    input.value = "";
    queued -= 1;
    showBusy();
  }
  // Opening replaces what this tab holds: once the file is known to be good, asked
  // first, once, when there is anything to replace.
  const replacing = !isBlank({ ...state, id: "" });
  if (replacing && !window.confirm("Opening this case file replaces " +
      "everything typed in this tab. Open it?")) {
    tell("The case file was not opened: what you typed is as it was.", input);
    return;
  }
  state = opened;
  showError("open-case", "");
  save();
  markUnsaved(false);
  showTyped();
  await refresh();
  tell(`Case file ${file.name} opened${replacing ? ": it replaced what was in this tab" : ""}.`,
    input);
});

const MAX_CASE_FILE_BYTES = 5_000_000;

function megabytes(bytes) {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

// A field with a limit says so beside it before the limit is reached (from nine tenths
// of it), so nothing is ever cut short without a word.
function showRoomLeft(input) {
  const max = input.maxLength;
  const note = document.getElementById(`room-${input.id}`);
  if (!note || !(max > 0)) return;
  const left = max - input.value.length;
  note.hidden = left > max / 10;
  note.textContent = left > 0
    ? `You have ${left.toLocaleString("en-GB")} characters left (at most ${max.toLocaleString("en-GB")}).`
    : `This is the most this box holds (${max.toLocaleString("en-GB")} characters): anything more is not kept.`;
}

// Leaving with work that is not in a case file: the browser asks first. A reload keeps
// everything (sessionStorage), but the browser cannot tell a reload from a close.
window.addEventListener("beforeunload", (event) => {
  if (sessionStorage.getItem(UNSAVED) && !isBlank({ ...state, id: "" })) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// --- loading Python, and keeping the site for offline use --------------------------------

// How much of the calculator has arrived, as a bar and in words. The words change in
// steps of a tenth: the status line is a live region, and must not chatter.
let bar = null;
let share = 0;

function showProgress() {
  bar = document.createElement("progress");
  bar.className = "tool-progress";
  bar.max = 1;
  bar.value = 0;
  bar.setAttribute("aria-label", "How much of the calculator has arrived");
  statusLine.after(bar);
}

function loadingWords() {
  if (share >= 1) return "Getting the calculator ready: all of it has arrived, and it is starting.";
  return `Getting the calculator ready: ${Math.floor(share * 10) * 10}% of it has arrived. ` +
    "You can read and answer the questions while it loads.";
}

function showLoading({ phase, arrived, expected }) {
  // Never backwards: a file's last bytes may be counted after Python has started.
  share = Math.max(share, phase === "start" ? 1 : Math.min(1, expected ? arrived / expected : 0));
  if (bar) bar.value = share;
  const words = loadingWords();
  if (statusLine.textContent !== words) statusLine.textContent = words;
  const note = document.getElementById("tool-waiting");
  if (note) note.textContent = waitingWords();
}

function waitingWords() {
  const arrived = share >= 1 ? "all of it has arrived" : `${Math.floor(share * 10) * 10}% of it has arrived`;
  return `Your answer is kept. The calculator is still getting ready (${arrived}): the next ` +
    "step appears as soon as it is ready.";
}

// Continue pressed before Python is ready: the answer is in the state already and is
// shown once it is; say so beside the button, rather than seem to ignore it.
function showWaiting() {
  let note = document.getElementById("tool-waiting");
  if (!note) {
    note = document.createElement("p");
    note.id = "tool-waiting";
    note.className = "tool-waiting";
  }
  const place = document.activeElement && document.activeElement.closest("fieldset");
  (place || statusLine.parentElement).append(note);
  note.textContent = waitingWords();
  announce(note.textContent);
}

// Loading is over (ready or failed): no bar, no waiting note.
function loaded() {
  if (bar) bar.remove();
  bar = null;
  document.getElementById("tool-waiting")?.remove();
}

async function start() {
  tool.dataset.toolScript = "started"; // loading.js: this script runs
  showTyped();
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fail("This browser cannot run the calculator (WebAssembly or web workers are blocked " +
      "or missing). Everything else on this site still works: the procedure and its " +
      "timescales are in this site's chapters.");
    return;
  }
  const boot = JSON.parse(tool.dataset.boot || "{}");
  showProgress();
  showLoading({ phase: "download", arrived: 0, expected: 0 });
  // Loading gives up on a file that fails (the worker says so at once) or after STALL_MS
  // with nothing new arriving: a hang, never a slow line, which keeps making progress.
  let giveUp;
  let stalled;
  const stopped = new Promise((_, reject) => { giveUp = reject; });
  stopped.catch(() => {});
  const watch = () => {
    clearTimeout(stalled);
    stalled = setTimeout(() => giveUp(new Error("no progress")), STALL_MS);
  };
  worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.progress) {
      watch();
      if (tool.dataset.toolStatus === "loading") showLoading(data.progress);
      return;
    }
    if (data.failed) {
      giveUp(new Error(data.failed));
      return;
    }
    const waiting = pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id);
    if (data.error) waiting.reject(new Error(data.error));
    else waiting.resolve(data.result);
  };
  worker.onerror = () => fail("The calculator could not start in this browser. The guidance " +
    "on this site still applies: the procedure and its timescales are in its chapters.");
  const base = new URL("./", window.location.href).href;
  const { pyodide, stdlib, snapshot } = tool.dataset;
  watch();
  try {
    await Promise.race([call("init", { base, pyodide, stdlib, snapshot, sizes: boot.sizes || {} }),
      stopped]);
  } catch (error) {
    console.warn("The calculator did not load:", error);
    fail("The calculator could not be loaded, so dates are not worked out here. The " +
      "guidance on this site still applies: the procedure and its timescales are in its chapters.");
    return;
  } finally {
    clearTimeout(stalled);
  }
  setStatus("ready", "The calculator is ready.");
  loaded();
  performance.mark("tool-ready");
  await refresh();
  // Only now, once the first view is shown and the page is idle, so that keeping the
  // site for next time competes neither with the calculator for a slow line nor with
  // the person's first answers for the processor.
  await idle();
  const offline = boot.offline !== false; // on unless the host switched it off
  if (offline && "serviceWorker" in navigator) keepOffline();
  else {
    if (!offline) forgetOffline();
    call("keep", { base, pyodide, snapshot }).catch(() => {});
  }
}

function idle() {
  return new Promise((resolve) => {
    if (window.requestIdleCallback) requestIdleCallback(() => resolve(), { timeout: 3000 });
    else setTimeout(resolve, 1000);
  });
}

// The service worker (service-worker.js at the site's root, written by the build) keeps
// this version of the whole site, named by the contents of its files, so the tool and
// every page work with no network after one visit. A newer version is fetched in the
// background, whole, beside the one in use; only when it is complete does this page
// offer it, and it is used from a reload on, never mixed into a page already open.
const SERVICE_WORKER = new URL("../../service-worker.js", import.meta.url);

async function keepOffline() {
  const workers = navigator.serviceWorker;
  let controlled = Boolean(workers.controller);
  workers.addEventListener("controllerchange", () => {
    if (!controlled) { // the first version taking charge of this page: the same files
      controlled = true;
      return;
    }
    // Another tab has switched the site to the new version: this page still runs the
    // old one in full, so say so rather than mix.
    offerReload(null);
  });
  let registration;
  try {
    registration = await workers.register(SERVICE_WORKER);
  } catch (error) {
    console.warn("No offline copy of this site:", error);
    return;
  }
  const offerIfWaiting = () => {
    if (registration.waiting && workers.controller) offerReload(registration.waiting);
  };
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener("statechange", () => {
      if (installing.state === "installed") offerIfWaiting();
    });
  });
  offerIfWaiting();
  registration.update().catch(() => {}); // offline, or the host is down: keep this one
}

let waitingVersion = null; // the service worker holding the new version, if not yet in use

function offerReload(waiting) {
  waitingVersion = waiting;
  if (document.getElementById("tool-new-version")) return;
  const notice = document.createElement("div");
  notice.id = "tool-new-version";
  notice.className = "tool-new-version";
  notice.setAttribute("role", "status");
  const words = document.createElement("p");
  words.textContent = "A new version of this site is ready: reload the page to use it. " +
    "Everything you typed is kept.";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary";
  button.textContent = "Reload";
  button.addEventListener("click", useNewVersion);
  notice.append(words, button);
  tool.prepend(notice);
}

function useNewVersion() {
  if (!waitingVersion) {
    window.location.reload();
    return;
  }
  navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload());
  waitingVersion.postMessage({ type: "use-this-version" });
}

// A host has switched offline use off (extra.offline: false): forget what was kept, for
// this site only (another site on the same host keeps its own).
async function forgetOffline() {
  if (!("serviceWorker" in navigator)) return;
  const scope = new URL("./", SERVICE_WORKER).href;
  for (const registration of await navigator.serviceWorker.getRegistrations()) {
    if (registration.scope === scope) await registration.unregister();
  }
  for (const name of await caches.keys()) {
    if (name.startsWith(`escalation ${scope} `)) await caches.delete(name);
  }
}

start();
