// Swagger UI over the app's own schema, from the package's own copy of its files (works offline).
"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
});
