// Posts a document form with XMLHttpRequest so a large file shows its progress (portal "Send a document", the
// project page's upload). Without JavaScript the form posts as usual. The answer is JSON: { redirect } or { error }.
// The form may give its own words (data-sending, data-failed, data-lost: the portal's, in the client's language).
(function () {
    document.querySelectorAll("form[enctype='multipart/form-data'][data-progress], #send-document").forEach(function (form) {
        var progress = form.querySelector("progress");
        var status = form.querySelector("[role=status]");
        var button = form.querySelector("button[type=submit]");
        var sending = form.dataset.sending || "Sending…";
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var xhr = new XMLHttpRequest();
            xhr.open("POST", form.action);
            xhr.setRequestHeader("Accept", "application/json");
            xhr.upload.addEventListener("progress", function (e) {
                if (!e.lengthComputable || !progress) return;
                progress.hidden = false;
                progress.value = Math.round(100 * e.loaded / e.total);
                status.textContent = sending + " " + progress.value + "%";
            });
            xhr.addEventListener("load", function () {
                var answer = {};
                try { answer = JSON.parse(xhr.responseText); } catch (e) { }
                if (xhr.status >= 200 && xhr.status < 300 && answer.redirect) {
                    window.location.assign(answer.redirect);
                    window.location.reload();
                    return;
                }
                button.disabled = false;
                if (progress) progress.hidden = true;
                status.textContent = answer.error || (form.dataset.failed || "The document could not be sent. Please try again.") + " (" + xhr.status + ")";
            });
            xhr.addEventListener("error", function () {
                button.disabled = false;
                status.textContent = form.dataset.lost || "The connection was lost before the document arrived. Please try again.";
            });
            button.disabled = true;
            status.textContent = sending;
            xhr.send(new FormData(form));
        });
    });
})();
