// The room page refreshes its counts from /room/feed while it is open. No dependencies.
(function () {
  "use strict";

  const room = document.querySelector("[data-room]");
  if (!room) {
    return;
  }
  const feedUrl = room.getAttribute("data-room-feed");
  const everyMs = Number(room.getAttribute("data-room-every") || "3") * 1000;

  function setText(selector, text) {
    const node = room.querySelector(selector);
    if (node) {
      node.textContent = String(text);
    }
  }

  function cell(text, link) {
    const td = document.createElement("td");
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = text;
      td.append(anchor);
    } else {
      td.textContent = String(text);
    }
    return td;
  }

  function showMilestones(view) {
    view.milestones.forEach((milestone) => {
      const row = room.querySelector(`[data-room-milestone="${CSS.escape(milestone.key)}"]`);
      if (!row) {
        return;
      }
      const bar = row.querySelector("[data-room-bar]");
      bar.max = Math.max(view.attendees, 1);
      bar.value = milestone.visitors;
      row.querySelector("[data-room-count]").textContent = String(milestone.visitors);
    });
  }

  function showFailures(failures) {
    const table = room.querySelector("[data-room-failures]");
    const body = table.querySelector("tbody");
    body.replaceChildren(...failures.map((failure) => {
      const row = document.createElement("tr");
      row.setAttribute("data-room-failure", failure.kind);
      row.setAttribute("data-room-step", failure.step);
      row.append(
        cell(failure.title),
        cell(`Step ${failure.step_number}: ${failure.step_title}`, `/tutorials/${encodeURIComponent(failure.step)}`),
        cell(failure.times),
        cell(failure.attendees),
        cell(failure.advice)
      );
      if (failure.troubleshooting) {
        const more = document.createElement("a");
        more.href = failure.troubleshooting;
        more.textContent = "More in troubleshooting";
        more.setAttribute("data-troubleshooting", "");
        row.children[4].append(" ", more);
      }
      row.children[2].setAttribute("data-room-times", "");
      row.children[3].setAttribute("data-room-people", "");
      return row;
    }));
    table.hidden = failures.length === 0;
    room.querySelector("[data-room-no-failures]").hidden = failures.length > 0;
  }

  function show(view) {
    setText("[data-room-active]", view.active);
    setText("[data-room-attendees]", view.attendees);
    setText("[data-room-started]", view.workshop_started_at || "no workshop started yet");
    showMilestones(view);
    showFailures(view.failures);
    setText("[data-room-updated]", `Updated ${view.updated_at}`);
  }

  async function refresh() {
    try {
      const response = await fetch(feedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        show(await response.json());
      } else {
        const body = await response.json().catch(() => ({}));
        setText("[data-room-updated]", `Not updated (${response.status}): ${body.detail || "reload the page"}`);
      }
    } catch (error) {
      setText("[data-room-updated]", "Not updated: the site did not answer; trying again.");
    }
    window.setTimeout(refresh, everyMs);
  }

  window.setTimeout(refresh, everyMs);
})();
