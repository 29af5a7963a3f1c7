/* A button with data-print opens the browser's print dialog (no inline handlers: CSP). */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
