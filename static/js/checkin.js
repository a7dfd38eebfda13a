// Check-in desk: scan a badge with the camera where the browser can read QR codes.
// Without BarcodeDetector the button stays hidden; a keyboard-wedge scanner
// (or typing the code and Enter) needs no script at all.
(function () {
  "use strict";
  var box = document.getElementById("camera-scan");
  var form = document.getElementById("code-form");
  var field = document.getElementById("code");
  if (!box || !form || !field || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var button = box.querySelector("button");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var stream = null;
  var timer = null;

  function stop() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.srcObject = null;
    video.hidden = true;
    button.setAttribute("aria-pressed", "false");
  }

  function found(code) {
    stop();
    field.value = code.trim();
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  async function start() {
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false
      });
    } catch (error) {
      stop();
      status.textContent = box.dataset.error;
      return;
    }
    status.textContent = "";
    button.setAttribute("aria-pressed", "true");
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    var tick = async function () {
      if (!stream) { return; }
      try {
        var codes = await detector.detect(video);
        if (codes.length && codes[0].rawValue) { found(codes[0].rawValue); return; }
      } catch (error) { /* a frame that cannot be read yet: try the next one */ }
      timer = setTimeout(tick, 250);
    };
    tick();
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); field.focus(); } else { start(); }
  });
  window.addEventListener("pagehide", stop);
  box.hidden = false;
})();
