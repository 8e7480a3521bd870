/* Announcement queue of the wall display: chime, then the voice, one call at a time.
 *
 * Voice: the browser's Web Speech API when it has a Ukrainian (uk-UA) voice; otherwise audio
 * made by the server (espeak-ng, /display/announce.wav); otherwise the chime alone.
 * Items never overlap and are never cut: each step waits for its end (with a safety timeout
 * so a stuck engine cannot stall the queue). The queue is bounded: a hall that falls far
 * behind drops the oldest waiting items rather than talking for minutes.
 *
 * Sound without a touch: a wall TV has no touch screen, so the display is started with autoplay
 * allowed (scripts/kiosk-browser.sh, docs/devices.md). ``probe`` finds out whether this browser
 * allows it — it plays 20 ms of silence — and only a refusal brings up the touch prompt.
 */
(function (global) {
  "use strict";

  var MAX_QUEUE = 8;
  var CHIME_TIMEOUT_MS = 4000;
  var SILENCE = (document.currentScript && document.currentScript.src ? new URL("silence.wav", document.currentScript.src).href : "/display/static/display/silence.wav");  // a file: the CSP allows media from this site only
  // Speech engines (espeak-ng behind most Linux voices) spell the official apostrophe ʼ out as a
  // letter name; the typographic one is read as the silent separator it is.
  var FOR_SPEECH = /\u02bc/g;

  function Announcer(options) {
    this.chime = options.chime;            // <audio> with the chime
    this.speechUrl = options.speechUrl;    // server speech endpoint, or null
    this.serverSpeech = !!options.serverSpeech;
    this.onBlocked = options.onBlocked || function () {};
    this.queue = [];
    this.busy = false;
    this.voices = {};
    this.player = new Audio();
    this.player.preload = "auto";
    this.played = 0;                       // announcements finished, for tests and diagnostics
    this.audible = 0;                      // sounds the browser agreed to play
    this._loadVoices();
  }

  Announcer.prototype._loadVoices = function () {
    var self = this;
    var synth = global.speechSynthesis;
    if (!synth) return;
    var pick = function () {
      var list = synth.getVoices() || [];
      ["uk", "en"].forEach(function (lang) {
        var best = null;
        list.forEach(function (v) {
          var l = (v.lang || "").toLowerCase().replace("_", "-");
          if (l === lang || l.indexOf(lang + "-") === 0) {
            if (!best || (v.localService && !best.localService)) best = v;
          }
        });
        self.voices[lang] = best;
      });
    };
    pick();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", pick);
  };

  /** Resolves true when this browser plays sound without a user gesture, false when it refuses. */
  Announcer.prototype.probe = function () {
    var policy = null;
    try {  // Firefox answers directly; Chromium has no such API and is asked by playing silence
      if (navigator.getAutoplayPolicy) policy = navigator.getAutoplayPolicy("mediaelement");
    } catch (e) { policy = null; }
    if (policy) return Promise.resolve(policy === "allowed");
    return this._silence();
  };

  /** Called from a touch or key press: the gesture lets the page play from then on. */
  Announcer.prototype.unlock = function () {
    return this._silence();
  };

  Announcer.prototype._silence = function () {
    var audio = new Audio(SILENCE);
    var played;
    try { played = audio.play(); } catch (e) { return Promise.resolve(false); }
    if (!played || !played.then) return Promise.resolve(true);  // an old engine without promises
    return played.then(function () { audio.pause(); return true; }, function (err) {
      // Only a refusal of autoplay calls for a touch; any other failure a touch would not fix.
      return !(err && err.name === "NotAllowedError");
    });
  };

  /** Queue one call: {announce_uk, announce_en?}. */
  Announcer.prototype.add = function (item) {
    this.queue.push(item);
    while (this.queue.length > MAX_QUEUE) this.queue.shift();
    this._next();
  };

  Announcer.prototype._next = function () {
    var self = this;
    if (this.busy || !this.queue.length) return;
    this.busy = true;
    var item = this.queue.shift();
    var steps = [function () { return self._play(self.chime, CHIME_TIMEOUT_MS); }];
    if (item.announce_uk) steps.push(function () { return self._say(item.announce_uk, "uk"); });
    if (item.announce_en) steps.push(function () { return self._say(item.announce_en, "en"); });
    var run = steps.reduce(function (p, step) {
      return p.then(step, step);
    }, Promise.resolve());
    run.then(null, function () {}).then(function () {
      self.played += 1;
      self.busy = false;
      self._next();
    });
  };

  // Resolves when the audio ends, fails or times out; never rejects.
  Announcer.prototype._play = function (audio, timeoutMs) {
    var self = this;
    return new Promise(function (resolve) {
      var done = false, timer = null;
      var finish = function () {
        if (done) return;
        done = true;
        clearTimeout(timer);
        audio.removeEventListener("ended", finish);
        audio.removeEventListener("error", finish);
        resolve();
      };
      audio.addEventListener("ended", finish);
      audio.addEventListener("error", finish);
      timer = setTimeout(finish, timeoutMs);
      try {
        audio.currentTime = 0;
        var p = audio.play();
        if (p && p.then) p.then(function () { self.audible += 1; }, function (err) {
          if (err && err.name === "NotAllowedError") self.onBlocked();
          finish();
        });
      } catch (e) { finish(); }
    });
  };

  Announcer.prototype._say = function (text, lang) {
    var voice = this.voices[lang];
    if (voice && global.speechSynthesis) return this._speakBrowser(text, voice);
    if (this.serverSpeech && this.speechUrl) {
      this.player.src = this.speechUrl + "?lang=" + lang + "&text=" + encodeURIComponent(text);
      return this._play(this.player, 6000 + text.length * 150);
    }
    return Promise.resolve();  // the chime alone
  };

  Announcer.prototype._speakBrowser = function (text, voice) {
    var self = this;
    return new Promise(function (resolve) {
      var done = false;
      var utter = new SpeechSynthesisUtterance(text.replace(FOR_SPEECH, "\u2019"));
      utter.voice = voice;
      utter.lang = voice.lang;
      utter.rate = 0.9;
      var timer = setTimeout(function () { finish(); }, 5000 + text.length * 150);
      function finish() { if (!done) { done = true; clearTimeout(timer); resolve(); } }
      utter.onstart = function () { self.audible += 1; };
      utter.onend = finish;
      utter.onerror = finish;
      global.speechSynthesis.speak(utter);
    });
  };

  global.Announcer = Announcer;
})(window);
