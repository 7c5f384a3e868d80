// The repair booking form: show the price of the chosen repairs while she chooses.
(function () {
  "use strict";
  var form = document.getElementById("booking-form");
  var total = document.getElementById("total");
  if (!form || !total) {
    return;
  }
  var formatter = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-DK" : "da-DK",
    {style: "currency", currency: "DKK"});

  function update() {
    var sum = 0;
    form.querySelectorAll("input[name=repairs]:checked").forEach(function (box) {
      sum += parseInt(box.dataset.price, 10);
    });
    total.textContent = sum ? formatter.format(sum / 100) : "–";
  }

  form.addEventListener("change", update);
  update();
})();
