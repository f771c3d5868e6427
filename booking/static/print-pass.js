// The pass page's print buttons: lay the pass out as an A4 page or a wallet-sized card,
// then open the print dialog. Without scripts, the links open the same layouts to print.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-print]");
  const sheet = document.querySelector(".pass-sheet");
  if (!link || !sheet) return;
  event.preventDefault();
  const card = new URL(link.href, location.href).searchParams.get("print") === "card";
  sheet.classList.toggle("pass-print-card", card);
  window.print();
});
