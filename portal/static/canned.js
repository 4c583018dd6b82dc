/* "Insert canned reply" without a page load: the chosen text goes after what is typed in the reply box, which keeps
   the files already chosen. Without JavaScript the button sends the form and the page comes back the same way. */
document.querySelectorAll("select[data-canned-for]").forEach(function (select) {
  var box = document.getElementById(select.getAttribute("data-canned-for"));
  var button = select.form.querySelector("[name=insert]");
  button.addEventListener("click", function (event) {
    var source = select.form.querySelector('template[data-canned-text="' + select.value + '"]');
    if (!source) {
      return;  // nothing chosen: let the server say so
    }
    event.preventDefault();
    var typed = box.value.replace(/\s+$/, "");
    box.value = (typed ? typed + "\n\n" : "") + source.content.textContent;
    select.value = "0";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
});
