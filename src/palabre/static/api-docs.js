// Starts Swagger UI on /api/docs with Palabre's OpenAPI document (no inline script, so the
// page keeps the same Content-Security-Policy as the rest of Palabre).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // never send the document to an outside validator
  });
});
