// policybot pages: follow the Teams theme, sign in with Teams single sign-on, set up a channel tab.
// No inline script anywhere (the Content-Security-Policy forbids it); this file works without Teams too.
(function () {
  "use strict";
  var root = document.documentElement;
  var teams = window.microsoftTeams;
  var THEMES = { "default": "light", "light": "light", "dark": "dark", "contrast": "contrast" };

  function setTheme(name) {
    root.setAttribute("data-theme", THEMES[name] || "light");
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function say(text) {
    var status = document.getElementById("sso-status");
    if (status) { status.textContent = text; }
  }

  function signIn(box) {
    teams.authentication.getAuthToken().then(function (token) {
      return fetch(box.getAttribute("data-endpoint"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify({ token: token })
      });
    }).then(function (response) {
      if (response.ok) {
        window.location.assign(box.getAttribute("data-next") || "/tab/mywork");
        return null;
      }
      return response.json().then(function (body) { say(body.detail || "Sign-in was refused."); });
    }).catch(function () {
      say("Teams could not sign you in. Close the tab and open it again, or ask your administrator.");
    });
  }

  function configure(form) {
    var base = form.getAttribute("data-base");
    var area = form.querySelector("select");
    teams.pages.config.registerOnSaveHandler(function (saveEvent) {
      var query = area.value ? "area=" + encodeURIComponent(area.value) + "&" : "";
      var url = window.location.origin + base + "/register?" + query + "theme={theme}";
      teams.pages.config.setConfig({
        entityId: "register-" + (area.value || "all"), contentUrl: url, websiteUrl: url,
        suggestedDisplayName: area.value ? "Register: " + area.value : "Register"
      }).then(function () { saveEvent.notifySuccess(); });
    });
    teams.pages.config.setValidityState(true);
  }

  if (!teams || !teams.app) { return; }
  teams.app.initialize().then(function () {
    return teams.app.getContext();
  }).then(function (context) {
    if (context && context.app && context.app.theme) { setTheme(context.app.theme); }
    teams.app.registerOnThemeChangeHandler(setTheme);
    var box = document.getElementById("sso");
    if (box) { signIn(box); }
    var form = document.getElementById("configure");
    if (form) { configure(form); }
  }).catch(function () { /* not inside Teams: the page works on its own */ });
}());
