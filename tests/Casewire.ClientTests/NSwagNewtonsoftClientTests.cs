using System.Text.Json.Nodes;
using Casewire.ClientTests.NSwagNewtonsoft;
using Casewire.Tests.Infrastructure;

namespace Casewire.ClientTests;

/// <summary>
/// README "Leave unset fields out": the NSwag client generated for Newtonsoft.Json (NSwag's default JSON library) leaves
/// unset optional fields out by itself, with no hand-written setting at all; checked on the flows where it matters.
/// </summary>
public sealed class NSwagNewtonsoftClientTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string ContactId = "123-1231";

    async Task<(CasewireClient Client, WireLog Wire)> ClientAsync()
    {
        var (http, wire) = WireLog.ClientFor(app, await app.NewTenantAsync());
        return (new CasewireClient(http) { BaseUrl = http.BaseAddress!.ToString() }, wire);
    }

    [Fact]
    public async Task AnUpdateThatSetsOnlyThePhoneKeepsTheEmailWithNoSetting()
    {
        var (client, wire) = await ClientAsync();

        await client.PutContactAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Email = "john.doe@example.com", Phone = "+15551234567",
        });
        await client.PutContactAsync(new ContactRequest { ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "+15557654321" });
        var read = await client.GetContactAsync(ContactId);

        Assert.Equal("+15557654321", read.Phone);
        Assert.Equal("john.doe@example.com", read.Email);
        Assert.Equal(["externalId", "firstName", "lastName", "phone"],
            JsonNode.Parse(wire.LastBody("PUT", "/partner/v2/contacts"))!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task AProjectWithAClientByExternalIdAndACalendarEventWithoutOptionalFieldsAreSaved()
    {
        var (client, wire) = await ClientAsync();
        await client.PutContactAsync(new ContactRequest { ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "+15551234567" });

        var project = await client.PutProjectAsync(new ProjectRequest
        {
            ExternalId = "1234", Name = "New Project", PartnerPhaseName = "Intake", Clients = [new Reference { ExternalId = ContactId }],
            PartnerProjectTypeName = "Web Dev", MilestonesEnabled = true, Status = ProjectRequestStatus.Not_Started,
        });
        var saved = await client.SaveCalendarEventAsync(null, new CalendarEventRequest
        {
            Id = "XYZ125", ProjectId = "1234", Title = "Call", StartTime = "2031-01-02 08:00:00", Timezone = "America/New_York",
        });

        Assert.Equal(ContactId, Assert.Single(project.Clients).ExternalId);
        var sentProject = JsonNode.Parse(wire.LastBody("PUT", "/partner/v2/projects"))!;
        Assert.Equal("""[{"externalId":"123-1231"}]""", sentProject["clients"]!.ToJsonString());
        Assert.Equal("Not Started", (string?)sentProject["status"]);
        Assert.Equal("2031-01-02T08:30:00-05:00", saved.EndTime);
        Assert.Equal(["id", "projectId", "title", "startTime", "timezone"],
            JsonNode.Parse(wire.LastBody("POST", "/partner/v2/calendar-event"))!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task AReadOfAnUnknownProjectIsAProblemWhoseDetailTheClientExposes()
    {
        var (client, _) = await ClientAsync();

        var problem = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetProjectAsync("no-such-project"));

        Assert.Equal(404, problem.StatusCode);
        Assert.Contains("no-such-project", problem.Result.Detail, StringComparison.Ordinal);
    }
}
