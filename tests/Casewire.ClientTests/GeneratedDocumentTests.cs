using System.Text.Json.Nodes;
using Casewire.Tests.Infrastructure;

namespace Casewire.ClientTests;

/// <summary>
/// The clients in Generated/ were made from the document this build serves: scripts/clients.sh saved it next to them, and
/// it must equal what the app under test answers on <c>/openapi/v1.json</c> (but for <c>servers</c>, the address it was
/// fetched from). A stale Generated/ folder fails here rather than passing against an older document.
/// </summary>
public sealed class GeneratedDocumentTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static JsonObject WithoutServers(JsonNode document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("servers");
        return copy;
    }

    [Fact]
    public async Task TheClientsWereGeneratedFromTheDocumentThisBuildServes()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "openapi.json");
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/clients.sh before building this project");
        var generatedFrom = JsonNode.Parse(await File.ReadAllTextAsync(path))!;

        var served = JsonNode.Parse(await app.ClientFor(null).GetStringAsync("/openapi/v1.json"))!;

        Assert.True(JsonNode.DeepEquals(WithoutServers(served), WithoutServers(generatedFrom)),
            "Generated/ is stale: the served /openapi/v1.json differs from the one the clients were generated from (run scripts/clients.sh)");
    }
}
