// Fake analytics stub for the Rijksoverheid sample site. Sends nothing.
window.piwik = window.piwik || [];
