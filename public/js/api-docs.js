// Starts Swagger UI on /api/docs (a file, not an inline script: the CSP allows scripts from 'self' only).
/* global SwaggerUIBundle */
window.addEventListener('DOMContentLoaded', function () {
  SwaggerUIBundle({
    url: '/api/docs/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
