using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Casewire.Tests.Infrastructure;

/// <summary>Raw-body helpers: the tests send JSON text exactly as a CMS would, published quirks included.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts the status and that the body is an RFC 9457 problem; returns it.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>The messages of a validation problem's <c>errors</c> entry for one field.</summary>
    public static string[] ErrorsFor(this JsonObject problem, string field) =>
        problem["errors"]?[field]?.AsArray().Select(e => e!.GetValue<string>()).ToArray() ?? [];

    public static async Task<JsonObject> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static string Compact(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
