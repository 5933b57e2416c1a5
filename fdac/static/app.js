// Small progressive enhancements; every page works without them.
for (const link of document.querySelectorAll("[data-print]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}
