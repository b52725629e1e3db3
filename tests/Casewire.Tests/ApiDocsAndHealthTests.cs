using System.Net;
using System.Text.Json.Nodes;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests;

/// <summary>
/// SPEC §9 well-known paths: <c>/openapi/v1.json</c>, <c>/docs</c>, <c>/health/live</c>,
/// <c>/health/ready</c>, <c>/</c>; SPEC §1: extensions are marked as such in the OpenAPI document.
/// </summary>
public sealed class ApiDocsAndHealthTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    async Task<JsonObject> OpenApiAsync()
    {
        var response = await app.ClientFor(null).GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.JsonAsync();
    }

    static JsonObject Operation(JsonObject document, string path, string method)
    {
        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey(path), $"the OpenAPI document should list {path}; it lists {string.Join(", ", paths.Select(p => p.Key))}");
        var operation = paths[path]![method]?.AsObject();
        Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} should be in the OpenAPI document");
        return operation;
    }

    static bool IsMarkedExtension(JsonObject operation) =>
        operation["x-casewire-extension"] is JsonValue marker && marker.TryGetValue<bool>(out var value) && value;

    [Fact]
    public async Task TheOpenApiDocumentIsServedWithoutAToken()
    {
        var document = await OpenApiAsync();

        Assert.StartsWith("3.", (string?)document["openapi"]);
        Assert.False(string.IsNullOrEmpty((string?)document["info"]?["title"]));
    }

    [Theory]
    [InlineData("/partner/v2/contacts", "put")]
    [InlineData("/partner/v2/projects", "put")]
    public async Task ThePublishedOperationsAreListedAndNotMarkedAsExtensions(string path, string method)
    {
        var operation = Operation(await OpenApiAsync(), path, method);

        Assert.False(operation.ContainsKey("x-casewire-extension"), $"{method} {path} is in the published API");
    }

    [Theory]
    [InlineData("/partner/v2/me", "get")]
    [InlineData("/partner/v2/contacts", "get")]
    [InlineData("/partner/v2/contacts/{externalId}", "get")]
    [InlineData("/partner/v2/projects", "get")]
    [InlineData("/partner/v2/projects/{externalId}", "get")]
    [InlineData("/partner/v2/team-members", "put")]
    [InlineData("/partner/v2/team-members/{externalId}", "get")]
    public async Task TheExtensionOperationsAreListedAndCarryTheExtensionMarker(string path, string method)
    {
        var operation = Operation(await OpenApiAsync(), path, method);

        Assert.True(IsMarkedExtension(operation), $"{method} {path} should carry x-casewire-extension: true; got {operation.Compact()}");
    }

    [Fact]
    public async Task TheDocumentDeclaresBearerAuthentication()
    {
        var document = await OpenApiAsync();

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Contains(schemes, s => (string?)s.Value!["type"] == "http" && (string?)s.Value!["scheme"] == "bearer");
    }

    [Fact]
    public async Task TheDocsPageAnswersWithHtml()
    {
        var response = await app.ClientFor(null).GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.Contains("scalar", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheDocsPageScriptIsServed()
    {
        var client = app.ClientFor(null);
        var page = await client.GetAsync("/docs");
        var pageUri = page.RequestMessage!.RequestUri!;

        var script = await client.GetAsync(new Uri(pageUri, "scalar.js"));

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAreHealthyWithoutAToken(string path)
    {
        var response = await app.ClientFor(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EverySchemaPropertySaysItsTypeAndEveryArrayItsItems()
    {
        var document = JsonNode.Parse(await app.ClientFor(null).GetStringAsync("/openapi/v1.json"))!;
        var vague = new List<string>();

        void Walk(JsonNode? node, string path)
        {
            if (node is not JsonObject schema) return;
            if (schema.Count == 0) vague.Add(path + " (no type)");
            var type = schema["type"]?.ToJsonString() ?? "";
            if (type.Contains("array") && schema["items"] is null) vague.Add(path + " (array without items)");
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? []) Walk(property, path + "." + name);
            Walk(schema["items"], path + "[]");
            if (schema["additionalProperties"] is JsonObject values) Walk(values, path + "{}");
        }
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject()) Walk(schema, name);

        Assert.True(vague.Count == 0, "schemas that say too little: " + string.Join(", ", vague));
    }

    [Fact]
    public async Task TheRootIsAnHtmlPage()
    {
        var response = await app.ClientFor(null).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
