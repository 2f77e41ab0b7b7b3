// Try-it bodies: the sample address you@example.com becomes one of this visitor's own, so that visitors sharing
// one site never sign up the same user. Kept for the tab, so every panel uses the same address.
(function () {
  "use strict";

  const SAMPLE_ADDRESS = "you@example.com";
  const ADDRESS_KEY = "playground.signup_address";

  function newAddress() {
    const bytes = crypto.getRandomValues(new Uint8Array(4));
    return "you-" + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("") + "@example.com";
  }

  function visitorAddress() {
    try {
      const kept = sessionStorage.getItem(ADDRESS_KEY);
      if (kept) return kept;
      const address = newAddress();
      sessionStorage.setItem(ADDRESS_KEY, address);
      return address;
    } catch (error) {
      return newAddress();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const bodies = [...document.querySelectorAll('[data-try-it] textarea[name="body"]')]
      .filter((area) => area.value.includes(SAMPLE_ADDRESS));
    if (!bodies.length) return;
    const address = visitorAddress();
    bodies.forEach((area) => { area.value = area.value.split(SAMPLE_ADDRESS).join(address); });
  });
})();
