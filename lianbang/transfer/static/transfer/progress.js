// Polls a job's status (JSON) and moves the progress bar; reloads the page when the job ends.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");
  var count = document.getElementById("job-count");
  var message = document.getElementById("job-message");

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    status.textContent = job.status_label + (job.stale ? "（已中断，可重新运行）" : "");
    count.textContent = job.done + " / " + job.total;
    message.textContent = job.message;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        show(job);
        if (job.finished || job.stale) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 500);
})();
