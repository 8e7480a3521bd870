/* Announcement queue of the wall display: chime, then the voice, one call at a time.
 *
 * Voice: the browser's Web Speech API when it has a Ukrainian (uk-UA) voice; otherwise audio
 * made by the server (espeak-ng, /display/announce.wav); otherwise the chime alone.
 * Items never overlap and are never cut: each step waits for its end (with a safety timeout
 * so a stuck engine cannot stall the queue). The queue is bounded: a hall that falls far
 * behind drops the oldest waiting items rather than talking for minutes.
 */
(function (global) {
  "use strict";

  var MAX_QUEUE = 8;
  var CHIME_TIMEOUT_MS = 4000;

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
    this.played = 0;                       // for tests and diagnostics
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
        if (p && p.catch) p.catch(function (err) {
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
    return new Promise(function (resolve) {
      var done = false;
      var utter = new SpeechSynthesisUtterance(text);
      utter.voice = voice;
      utter.lang = voice.lang;
      utter.rate = 0.9;
      var timer = setTimeout(function () { finish(); }, 5000 + text.length * 150);
      function finish() { if (!done) { done = true; clearTimeout(timer); resolve(); } }
      utter.onend = finish;
      utter.onerror = finish;
      global.speechSynthesis.speak(utter);
    });
  };

  global.Announcer = Announcer;
})(window);
