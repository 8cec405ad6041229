// The composer: shows the real page as the form changes. Every check is made on the
// server, by the same code as the command line; this script only asks and shows.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) { return; }
  var DEBOUNCE_MS = 300;
  var fitState = document.getElementById("fit-state");
  var fitDetail = document.getElementById("fit-detail");
  var image = document.getElementById("page-image");
  var frame = document.getElementById("page-frame");
  var download = document.getElementById("download");
  var orderInput = document.getElementById("story_order");
  var orderList = document.getElementById("story-order");
  var storyList = document.getElementById("story-list");
  var guideSelect = document.getElementById("guide");
  var generalErrors = document.getElementById("general-errors");
  var saveSpec = document.getElementById("save-spec");
  var saveState = document.getElementById("save-state");
  var filterNone = document.getElementById("story-filter-none");
  var overflowPages = document.getElementById("overflow-pages");
  var seePageState = document.getElementById("see-page-state");
  var dateInput = document.getElementById("date");
  var dateWritten = document.getElementById("date-written");
  var datePast = document.getElementById("date-past");
  // Whether the newest answer holds a choice no spec file can keep: "Save spec" then
  // saves nothing (the server refuses too; this only saves a trip there).
  var saveBlocked = false;
  // Each request gets a number; only the answer to the newest is ever shown.
  var latest = 0;
  var timer = null;
  var titleInput = document.getElementById("title");
  // A field's errors are shown once the person has touched it (or asked to download):
  // a fresh form is calm. A loaded spec (or a form posted back) counts as touched.
  var touched = {};
  var allTouched = titleInput.value !== "" ||
    form.querySelector('input[name="story"]:checked') !== null;
  // The form field a control's errors are shown beside.
  var FIELD_OF_CONTROL = {
    story: "stories", story_order: "stories", question: "questions",
    own_questions: "questions", warning_text: "warning"
  };
  // The control marked invalid for a field's errors, where it is not named after it.
  var CONTROL_OF_FIELD = { warning: "warning_text" };
  function fieldOf(control) {
    return FIELD_OF_CONTROL[control.name] || control.name;
  }
  function isTouched(name) { return allTouched || touched[name] === true; }
  function anyTouched() { return allTouched || Object.keys(touched).length > 0; }
  // The stories in print order: only those ticked here (a story the form does not
  // offer has no box, and the server has said what became of it).
  function boxOf(id) { return document.getElementById("story-" + id); }
  var order = orderInput.value.split(" ").filter(function (id) {
    var box = boxOf(id);
    return box !== null && box.name === "story" && box.checked;
  });
  storyList.querySelectorAll('input[name="story"]:checked').forEach(function (box) {
    if (order.indexOf(box.value) < 0) { order.push(box.value); }
  });

  document.getElementById("show-page").hidden = true;
  document.getElementById("story-filter-field").hidden = false;

  // Download is ready only for a page that fits and that the server would give: it
  // refuses one with a placeholder left in (``held``), and says why beside the state.
  function setState(kind, text, detail, held) {
    fitState.className = "fit " + kind;
    fitState.textContent = text;
    seePageState.textContent = "(" + text + ")";
    fitDetail.textContent = detail || "";
    var ready = kind === "fits" && !held;
    download.setAttribute("aria-disabled", ready ? "false" : "true");
  }

  // A change is on its way to the server: the page shown is the form as it was, so
  // it is dimmed, and Download waits for the page of the form as it is now.
  function markUpdating() {
    fitState.className = "fit updating";
    fitState.textContent = "Updating...";
    seePageState.textContent = "(Updating...)";
    download.setAttribute("aria-disabled", "true");
    frame.classList.add("stale");
    frame.setAttribute("aria-busy", "true");
  }

  function showPages(first, overflow) {
    image.hidden = !first;
    if (first) { image.src = first; }
    overflowPages.querySelectorAll("img").forEach(function (old) { old.remove(); });
    (overflow || []).forEach(function (source) {
      var page = document.createElement("img");
      page.src = source;
      page.alt = "What runs past the end of the page";
      overflowPages.appendChild(page);
    });
    overflowPages.hidden = !(overflow && overflow.length);
  }

  // The date as the handout writes it ("Tuesday 1 December 2026"), in the project's
  // words whatever the browser's language, and a word if it has passed.
  var WEEKDAYS = JSON.parse(dateInput.dataset.weekdays || "[]");
  var MONTHS = JSON.parse(dateInput.dataset.months || "[]");
  function two(number) { return (number < 10 ? "0" : "") + number; }
  function writeDate() {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value);
    if (!parts || WEEKDAYS.length !== 7 || MONTHS.length !== 12) {
      dateWritten.textContent = "";
      datePast.textContent = "";
      return;
    }
    var year = Number(parts[1]), month = Number(parts[2]), day = Number(parts[3]);
    var weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    dateWritten.textContent = WEEKDAYS[weekday] + " " + day + " " + MONTHS[month - 1] + " " + year;
    var now = new Date();
    var today = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    datePast.textContent = dateInput.value < today ? datePast.dataset.text : "";
  }
  dateInput.addEventListener("input", writeDate);
  dateInput.addEventListener("change", writeDate);
  writeDate();

  function showErrors(errors, general) {
    form.querySelectorAll(".error").forEach(function (element) {
      element.textContent = "";
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (element) {
      element.removeAttribute("aria-invalid");
    });
    Object.keys(errors).forEach(function (name) {
      var element = document.getElementById(name + "-error");
      if (element) { element.textContent = errors[name].join(" "); }
      var control = document.getElementById(CONTROL_OF_FIELD[name] || name);
      if (control) { control.setAttribute("aria-invalid", "true"); }
    });
    var list = generalErrors.querySelector("ul");
    list.textContent = "";
    general.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    generalErrors.hidden = general.length === 0;
  }

  // A placeholder left in a field, "((Your name here))": printed as it is, so said.
  // Only the server's warnings (id "<field>-warning"): "This date has passed" is this
  // page's own, looks the same, and must outlive the answer.
  function showWarnings(warnings) {
    form.querySelectorAll('.warning[id$="-warning"]').forEach(function (element) {
      element.textContent = (warnings[element.id.replace(/-warning$/, "")] || []).join(" ");
    });
  }

  // What a calm form asks for next, for the first field it still needs.
  function waitingText(names) {
    if (names.indexOf("stories") >= 0) { return "Choose stories to see your handout."; }
    if (names.indexOf("questions") >= 0) { return "Choose questions to see your handout."; }
    if (names.indexOf("title") >= 0) { return "Give the handout a title to see your page."; }
    return "Fill in the form to see your page.";
  }

  function show(answer) {
    frame.classList.remove("stale");
    saveBlocked = (answer.save_errors || []).length > 0;
    if (!saveBlocked) { saveState.textContent = ""; }
    showWarnings(answer.warnings || {});
    titleInput.placeholder = answer.default_title ? "Defaults to: " + answer.default_title : "";
    var errors = {};
    var waiting = [];
    Object.keys(answer.errors || {}).forEach(function (name) {
      if (isTouched(name)) { errors[name] = answer.errors[name]; } else { waiting.push(name); }
    });
    var general = anyTouched() ? answer.general || [] : [];
    showErrors(errors, general);
    if (answer.state === "invalid" && Object.keys(errors).length === 0 && general.length === 0) {
      setState("waiting", waitingText(waiting));
      showPages(null);
      return;
    }
    answer.errors = errors;
    if (answer.state === "fits") {
      showPages(answer.image);
      var held = Object.keys(answer.warnings || {}).length > 0;
      setState("fits", "Fits on one page.", held ?
        "Download waits until each placeholder marked in the form is replaced." : "", held);
    } else if (answer.state === "too long") {
      // The page as far as it goes, and what runs past its end, marked.
      showPages(answer.image, answer.overflow_images);
      setState("too-long", "Too long by " + answer.overflow_mm +
        " mm: remove a story or a question.", answer.message);
    } else {
      // The last image no longer shows the form: hide it rather than mislead.
      showPages(null);
      if (answer.state === "invalid") {
        setState("invalid", "Fix the fields marked to see your page.");
        listErrors(answer.errors || {});
      } else {
        setState("problem", "This handout cannot be made.",
          answer.message || (answer.general || []).join(" "));
      }
    }
  }

  // Under the state, each problem as a link to its field, so none goes unseen.
  var FIELD_NAMES = { stories: "Stories", questions: "Questions", warning: "Content warning" };
  function listErrors(errors) {
    var list = document.createElement("ul");
    Object.keys(errors).forEach(function (name) {
      var label = document.querySelector('label[for="' + name + '"]');
      var target = document.getElementById(name) || document.getElementById(name + "-error");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + target.id;
      link.textContent = (FIELD_NAMES[name] || (label ? label.textContent : name)) + ": " +
        errors[name].join(" ");
      item.appendChild(link);
      list.appendChild(item);
    });
    fitDetail.appendChild(list);
  }

  // One request at a time from this page: a change made meanwhile is sent when the
  // answer comes, so typing never queues up pages nobody will see.
  var inFlight = false;
  var again = false;
  // The form as last sent for a page.
  var sentForm = null;
  function formNow() { return new URLSearchParams(new FormData(form)).toString(); }
  // An answer is the page only if the form is still as it was sent: no newer request,
  // and no change waiting to be sent (the page stays "Updating..." for that one).
  function answersFormNow(sequence) {
    return sequence === latest && !again && timer === null && formNow() === sentForm;
  }

  function refresh() {
    timer = null;
    if (inFlight) { again = true; return; }
    inFlight = true;
    var sequence = ++latest;
    frame.setAttribute("aria-busy", "true");
    var busyFor = 0;
    var retrying = false;
    // The status of the server's answer, if one came: an answer that is not the page's
    // (an error page, say) is said as the server's failure, not as silence.
    var answeredWith = 0;
    sentForm = formNow();
    fetch("/api/preview", {
      method: "POST",
      body: sentForm,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      cache: "no-store"
    })
      .then(function (response) {
        if (response.status === 503) {
          busyFor = Number(response.headers.get("Retry-After")) || 2;
        }
        answeredWith = response.status;
        return response.json();
      })
      .then(function (answer) {
        if (busyFor && sequence === latest && !again) {
          // Every worker is busy: say so, and ask again when the server says to. The
          // page shown is not the form's until then (dimmed, Download waits).
          markUpdating();
          fitState.textContent = "Busy, trying again...";
          seePageState.textContent = "(Busy, trying again...)";
          retrying = true;
          setTimeout(function () { inFlight = false; again = false; refresh(); }, busyFor * 1000);
          return;
        }
        if (answersFormNow(sequence)) {
          frame.setAttribute("aria-busy", "false");
          show(answer);
        }
      })
      .catch(function () {
        if (answersFormNow(sequence)) {
          frame.setAttribute("aria-busy", "false");
          setState("problem", answeredWith ?
            "The server could not make this page (error " + answeredWith + "). Try again; " +
            "if it goes on, tell whoever runs the composer." :
            "The server did not answer. Is dnaoc-print serve still running?");
        }
      })
      .then(function () {
        if (retrying) { return; }  // asked again after the wait, above
        inFlight = false;
        if (again) { again = false; refresh(); }
      });
  }

  function schedule() {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  // Stories in print order, with buttons to move each one.
  function titleOf(id) {
    var label = document.querySelector('label[for="story-' + id + '"]');
    return label ? label.textContent : id;
  }

  function drawOrder(focusId, focusWhich) {
    orderInput.value = order.join(" ");
    orderList.textContent = "";
    order.forEach(function (id, index) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = titleOf(id);
      item.appendChild(name);
      [["up", -1], ["down", 1]].forEach(function (move) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "move";
        button.textContent = "Move " + move[0];
        // The visible words first, so speech control finds it by them (label in name).
        button.setAttribute("aria-label", "Move " + move[0] + ": " + titleOf(id));
        var target = index + move[1];
        button.disabled = target < 0 || target >= order.length;
        button.addEventListener("click", function () {
          order.splice(index, 1);
          order.splice(target, 0, id);
          drawOrder(id, move[0]);
          markUpdating();
          schedule();
        });
        item.appendChild(button);
        if (id === focusId && move[0] === focusWhich) {
          setTimeout(function () {
            (button.disabled ? item.querySelector("button:not([disabled])") : button).focus();
          }, 0);
        }
      });
      orderList.appendChild(item);
    });
    document.getElementById("order-panel").hidden = order.length < 2;
  }

  storyList.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "story") { return; }
    order = order.filter(function (id) { return id !== box.value; });
    if (box.checked) { order.push(box.value); }
    drawOrder();
  });

  // A guide's stories and questions first.
  function arrangeForGuide() {
    var slug = guideSelect.value;
    var items = Array.prototype.slice.call(storyList.children);
    items.sort(function (a, b) {
      var aMine = slug && a.dataset.guides.split(" ").indexOf(slug) >= 0 ? 0 : 1;
      var bMine = slug && b.dataset.guides.split(" ").indexOf(slug) >= 0 ? 0 : 1;
      return aMine - bMine || a.dataset.index - b.dataset.index;
    });
    items.forEach(function (item) {
      storyList.appendChild(item);
      item.querySelector(".tag").hidden = !(slug && item.dataset.guides.split(" ").indexOf(slug) >= 0);
    });
    var questions = document.getElementById("guide-questions");
    questions.querySelectorAll("details").forEach(function (details) {
      var mine = details.dataset.guide === slug;
      details.open = mine || details.querySelector("input:checked") !== null;
      if (mine) { questions.insertBefore(details, questions.firstChild); }
    });
  }
  guideSelect.addEventListener("change", arrangeForGuide);

  // Words typed are read as the server wrote each story's (webapp.search_text): lower
  // case, a hyphen or any run of spaces one space.
  document.getElementById("story-filter").addEventListener("input", function (event) {
    var words = event.target.value.toLowerCase().replace(/[\s_-]+/g, " ").trim();
    var found = 0;
    Array.prototype.forEach.call(storyList.children, function (item) {
      var ticked = item.querySelector("input").checked;
      var matches = words === "" || item.dataset.search.indexOf(words) >= 0;
      if (matches) { found += 1; }
      item.hidden = !ticked && !matches;
    });
    filterNone.textContent = found === 0 ? filterNone.dataset.text : "";
  });

  // A change event after the input events that were sent already (leaving a field
  // typed in) changes nothing: the page shown stays true, and Download stays ready.
  function changed(event) {
    if (event.target.id === "story-filter") { return; }
    touched[fieldOf(event.target)] = true;
    if (timer === null && formNow() === sentForm) { return; }
    markUpdating();
    schedule();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var settled = timer === null && !inFlight;
    if (button === saveSpec && settled && saveBlocked) {
      event.preventDefault();
      // As with Download: every field's problems are shown, and nothing is saved.
      allTouched = true;
      saveState.textContent = saveState.dataset.text;
      refresh();
      return;
    }
    if (button === download && download.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      // Asking to download shows every field's problems.
      allTouched = true;
      refresh();
      fitState.focus();
    }
  });
  fitState.tabIndex = -1;

  // A saved edit to the project (a story's summary, a layout) shows on the page too.
  var version = document.body.dataset.version;
  function watchVersion() {
    fetch("/api/version", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.version !== version) {
          version = answer.version;
          // The page shown was made from the project as it was: dimmed until the new one.
          if (anyTouched()) { markUpdating(); refresh(); }
        }
        setTimeout(watchVersion, 2000);
      })
      .catch(function () { setTimeout(watchVersion, 5000); });
  }
  setTimeout(watchVersion, 2000);

  arrangeForGuide();
  drawOrder();
  if (anyTouched()) { markUpdating(); }
  refresh();
})();
