// MathJax settings for pymdownx.arithmatex (generic mode): the formulas of the
// docstrings, written as $...$ and $$...$$, are typeset in the page.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};
