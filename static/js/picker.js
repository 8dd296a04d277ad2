/* Type-ahead pickers (agencies.widgets): a WAI-ARIA 1.2 combobox over a server-side search.
 *
 * Progressive enhancement: the server renders an ordinary <select> of what is chosen (and a
 * text search that works without scripts); this script hides both,
 * shows the combobox, and keeps the select's chosen options in step, so the form posts
 * exactly what it would without JavaScript. Matches come from the search URL as an htmx
 * partial of <li role="option"> elements.
 */
(function () {
  "use strict";
  if (window.samverkanPickers) return; // the widget template includes this file once per picker
  window.samverkanPickers = true;

  var DELAY = 200;

  function Picker(root) {
    this.root = root;
    this.select = root.querySelector("select");
    this.combo = root.querySelector(".picker-combo");
    this.input = root.querySelector(".picker-input");
    this.listbox = root.querySelector(".picker-listbox");
    this.status = root.querySelector(".picker-status");
    this.chips = root.querySelector(".picker-chips");
    this.multiple = root.hasAttribute("data-multiple");
    this.url = root.getAttribute("data-search-url");
    this.text = {
      remove: root.getAttribute("data-text-remove"),
      added: root.getAttribute("data-text-added"),
      removed: root.getAttribute("data-text-removed"),
      chosen: root.getAttribute("data-text-chosen"),
    };
    this.timer = null;
    this.active = -1;
    this.enhance();
  }

  Picker.prototype.enhance = function () {
    // The field's <label for> now names the combobox: it takes over the select's id.
    var id = this.select.id;
    this.select.id = id + "_select";
    this.input.id = id;
    this.select.hidden = true;
    this.select.setAttribute("aria-hidden", "true");
    this.select.tabIndex = -1;
    // The text search for browsers without scripts: hidden, and not sent with the form.
    var fallback = this.root.querySelector(".picker-fallback");
    if (fallback) {
      fallback.hidden = true;
      fallback.querySelector("input").disabled = true;
    }
    this.combo.hidden = false;
    this.chosenLabel = this.input.value;
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () { self.onBlur(); });
    // mousedown, not click: choosing must not blur the input first.
    this.listbox.addEventListener("htmx:afterSwap", function () { self.showResults(); });
    this.listbox.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      self.choose(option);
    });
    if (this.chips) {
      this.chips.addEventListener("click", function (event) {
        var button = event.target.closest(".picker-remove");
        if (button) self.remove(button.closest("li"));
      });
    }
  };

  Picker.prototype.options = function () {
    return Array.prototype.slice.call(this.listbox.querySelectorAll("[role=option]"));
  };

  Picker.prototype.isOpen = function () {
    return this.input.getAttribute("aria-expanded") === "true";
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.search(); }, DELAY);
  };

  Picker.prototype.search = function () {
    var query = this.input.value.trim();
    if (!query) {
      this.close();
      this.listbox.innerHTML = "";
      this.status.textContent = "";
      return;
    }
    var url = this.url + "&status=" + encodeURIComponent(this.status.id) +
      "&q=" + encodeURIComponent(query);
    // htmx queues a search typed while one is under way, so the newest answer lands last.
    htmx.ajax("GET", url, { target: this.listbox, swap: "innerHTML" });
  };

  Picker.prototype.showResults = function () {
    var self = this;
    var chosen = this.chosenValues();
    this.options().forEach(function (option, index) {
      option.id = self.listbox.id + "_" + option.getAttribute("data-value");
      var selected = chosen.indexOf(option.getAttribute("data-value")) !== -1;
      option.setAttribute("aria-selected", selected ? "true" : "false");
      option.setAttribute("data-index", String(index));
    });
    this.setActive(-1);
    if (this.options().length && this.input === document.activeElement) this.open();
    else this.close();
  };

  Picker.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Picker.prototype.setActive = function (index) {
    var options = this.options();
    options.forEach(function (option) { option.classList.remove("active"); });
    this.active = index;
    if (index < 0 || index >= options.length) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].classList.add("active");
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.onKey = function (event) {
    var count = this.options().length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen()) {
          if (count) this.open(); else this.search();
          if (!event.altKey && count) this.setActive(0);
        } else if (count) {
          this.setActive((this.active + 1) % count);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!this.isOpen() && count) this.open();
        if (count) this.setActive(this.active <= 0 ? count - 1 : this.active - 1);
        break;
      case "Enter":
        // With the list open, Enter chooses; it must never submit the form half-filled.
        if (this.isOpen()) {
          event.preventDefault();
          var options = this.options();
          if (this.active >= 0) this.choose(options[this.active]);
          else if (options.length === 1) this.choose(options[0]);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = this.multiple ? "" : this.chosenLabel;
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Picker.prototype.onBlur = function () {
    this.close();
    if (this.multiple) return;
    // A single picker shows what is chosen; emptied on purpose, it chooses nothing.
    if (!this.input.value.trim() && !this.select.required) this.setSingle("", "");
    else this.input.value = this.chosenLabel;
  };

  Picker.prototype.chosenValues = function () {
    return Array.prototype.slice.call(this.select.selectedOptions).map(function (option) {
      return option.value;
    }).filter(function (value) { return value !== ""; });
  };

  Picker.prototype.optionFor = function (value, label) {
    var option = Array.prototype.find.call(this.select.options, function (candidate) {
      return candidate.value === value;
    });
    if (!option && value !== "") {
      option = new Option(label, value);
      this.select.add(option);
    }
    return option;
  };

  Picker.prototype.choose = function (option) {
    var value = option.getAttribute("data-value");
    var label = option.getAttribute("data-label");
    if (!this.multiple) {
      this.setSingle(value, label);
      this.close();
      this.announce(this.text.chosen + " " + label);
      return;
    }
    if (this.chosenValues().indexOf(value) !== -1) {
      this.remove(this.chipFor(value), true);
      option.setAttribute("aria-selected", "false");
      return;
    }
    this.optionFor(value, label).selected = true;
    this.addChip(value, label);
    // Ready for the next one: the text goes, the list closes, the new chip is announced.
    this.input.value = "";
    this.close();
    this.announce(this.text.added + " " + label);
  };

  Picker.prototype.setSingle = function (value, label) {
    var before = this.select.value;
    var option = this.optionFor(value, label);
    if (option) option.selected = true;
    else this.select.value = "";
    this.chosenLabel = label;
    this.input.value = label;
    // Only a real change is announced: leaving an empty picker empty must not refresh a list
    // (the case list's results would be swapped under the keyboard user's focus).
    if (this.select.value !== before) {
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };

  Picker.prototype.chipFor = function (value) {
    return Array.prototype.find.call(this.chips.children, function (chip) {
      return chip.getAttribute("data-value") === value;
    });
  };

  Picker.prototype.addChip = function (value, label) {
    var chip = document.createElement("li");
    chip.setAttribute("data-value", value);
    var name = document.createElement("span");
    name.textContent = label;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "picker-remove";
    button.setAttribute("aria-label", this.text.remove + " " + label);
    button.textContent = "×";
    chip.appendChild(name);
    chip.appendChild(document.createTextNode(" "));
    chip.appendChild(button);
    this.chips.appendChild(chip);
  };

  Picker.prototype.remove = function (chip, keepFocus) {
    if (!chip) return;
    var value = chip.getAttribute("data-value");
    var label = chip.querySelector("span").textContent;
    var option = this.optionFor(value, label);
    if (option) option.selected = false;
    chip.remove();
    var listed = this.listbox.querySelector('[data-value="' + CSS.escape(value) + '"]');
    if (listed) listed.setAttribute("aria-selected", "false");
    this.announce(this.text.removed + " " + label);
    if (!keepFocus) this.input.focus();
  };

  Picker.prototype.announce = function (message) {
    this.status.textContent = message;
  };

  function start(scope) {
    if (!window.htmx) return; // without htmx the plain select stays: the form still works
    (scope || document).querySelectorAll("[data-picker]").forEach(function (root) {
      if (root.hasAttribute("data-picker-ready")) return;
      root.setAttribute("data-picker-ready", "");
      new Picker(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(); });
  } else {
    start();
  }
})();
