using System.Text.Json.Nodes;
using Casewire.ClientTests.NSwag;
using Casewire.Tests.Infrastructure;

namespace Casewire.ClientTests;

/// <summary>
/// The help page's flows through the NSwag C# client (System.Text.Json) that scripts/clients.sh generated from the
/// server's <c>/openapi/v1.json</c>, with typed calls only: no <c>AdditionalProperties</c>, no dictionaries. The only
/// hand-written part is the README's serializer setting (<see cref="CasewireClient"/> in NSwagJsonOptions.cs).
/// </summary>
public sealed class NSwagClientTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string ContactId = "123-1231";
    const string ProjectId = "1234";
    const string Phone = "+15551234567";

    async Task<(CasewireClient Client, WireLog Wire)> ClientAsync()
    {
        var (http, wire) = WireLog.ClientFor(app, await app.NewTenantAsync());
        return (new CasewireClient(http) { BaseUrl = http.BaseAddress!.ToString() }, wire);
    }

    /// <summary>The help page's firm: John Doe, the paralegal Sam Park, and project 1234 with John as its client.</summary>
    static async Task<ProjectResponse> HelpPageFirmAsync(CasewireClient client)
    {
        await client.PutContactAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Email = "john.doe@example.com", Phone = Phone,
        });
        await client.PutTeamMemberAsync(new TeamMemberRequest { ExternalId = "32435", FirstName = "Sam", LastName = "Park", Email = "sam.park@example.com" });
        return await client.PutProjectAsync(new ProjectRequest
        {
            ExternalId = ProjectId, Name = "New Project", PartnerPhaseName = "Intake", Clients = [new Reference { ExternalId = ContactId }],
            PartnerProjectTypeName = "Web Dev", MilestonesEnabled = true, Status = ProjectRequestStatus.Not_Started,
        });
    }

    [Fact]
    public async Task AContactIsCreatedAndAnUpdateThatSetsOnlyThePhoneKeepsTheEmail()
    {
        var (client, wire) = await ClientAsync();

        var created = await client.PutContactAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Email = "john.doe@example.com", Phone = Phone,
            NotificationPreference = ContactRequestNotificationPreference.Both,
        });
        var updated = await client.PutContactAsync(new ContactRequest { ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "+15557654321" });
        var read = await client.GetContactAsync(ContactId);

        Assert.True(created.Id > 0);
        Assert.Equal("john.doe@example.com", created.Email);
        Assert.Equal("both", created.NotificationPreference);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("+15557654321", read.Phone);
        Assert.Equal("john.doe@example.com", read.Email);
        Assert.Equal("both", read.NotificationPreference);
        var sent = JsonNode.Parse(wire.LastBody("PUT", "/partner/v2/contacts"))!.AsObject();
        Assert.False(sent.ContainsKey("email"), $"the update should leave the unset email out; it sent {sent.ToJsonString()}");
    }

    [Fact]
    public async Task AProjectNamesItsClientByExternalId()
    {
        var (client, wire) = await ClientAsync();

        var project = await HelpPageFirmAsync(client);

        Assert.True(project.Id > 0);
        Assert.Equal(ProjectId, project.ExternalId);
        Assert.Equal(ContactId, Assert.Single(project.Clients).ExternalId);
        Assert.Equal("Web Dev", project.ProjectType.Name);
        Assert.Equal("Not Started", project.Status);
        Assert.Equal("""[{"externalId":"123-1231"}]""", JsonNode.Parse(wire.LastBody("PUT", "/partner/v2/projects"))!["clients"]!.ToJsonString());
    }

    [Fact]
    public async Task AMessageIsSentByProjectWithItsAuthorAndByPhoneAlone()
    {
        var (client, _) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var byProject = await client.SendMessageAsync(null, new SendMessageRequest { ProjectId = ProjectId, Text = "New Project", AuthorId = "32435" });
        var byPhone = await client.SendMessageAsync(null, new SendMessageRequest { PhoneNumber = Phone, Text = "Your documents are ready." });
        await app.DispatchAsync();

        Assert.Equal(ProjectId, byProject.ProjectId);
        Assert.Equal("32435", byProject.Author.ExternalId);
        Assert.Equal(Phone, Assert.Single(byProject.Recipients).Address);
        Assert.Null(byPhone.ProjectId);
        Assert.Equal("sms", Assert.Single(byPhone.Recipients).Channel);
        Assert.Equal("sent", Assert.Single((await client.GetMessageAsync(byPhone.Id)).Recipients).Status);
        Assert.Contains(byProject.Id, (await client.GetProjectMessagesAsync(ProjectId, null, null)).Items.Select(m => m.Id));
    }

    [Fact]
    public async Task ACalendarEventTakesItsRemindersAsObjectsAndItsPeopleAsReferences()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var saved = await client.SaveCalendarEventAsync(null, new CalendarEventRequest
        {
            Id = "XYZ124", ProjectId = ProjectId, Title = "Jane Smith Desposition",
            Attendees = [new Reference { Email = "john.doe@example.com" }],
            TeamMembers = [new Reference { Email = "sam.park@example.com" }],
            OtherMembers = [new Reference { Email = "lee.chan@example.com" }],
            StartTime = "2031-01-01 08:00:00", EndTime = "2031-01-01 08:30:00", Timezone = "EST",
            Location = "1234 courtroom road, new york", Description = "this is a description",
            Reminders = [new Reminder { Unit = ReminderUnit.Day, Amount = 1 }], Notify = true,
        });

        Assert.Equal("America/New_York", saved.Timezone);
        Assert.Equal("2031-01-01T08:00:00-05:00", saved.StartTime);
        Assert.Equal(ContactId, Assert.Single(saved.Attendees).ExternalId);
        Assert.Equal("32435", Assert.Single(saved.TeamMembers).ExternalId);
        var reminder = Assert.Single(saved.Reminders);
        Assert.Equal(("day", 1, "scheduled"), (reminder.Unit, reminder.Amount, reminder.Status));
        Assert.Contains(saved.Warnings, w => w.Contains("lee.chan@example.com", StringComparison.Ordinal));
        Assert.Equal("""[{"unit":"Day","amount":1}]""", JsonNode.Parse(wire.LastBody("POST", "/partner/v2/calendar-event"))!["reminders"]!.ToJsonString());
    }

    [Fact]
    public async Task ACalendarEventWithoutItsOptionalFieldsIsSaved()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var saved = await client.SaveCalendarEventAsync(null, new CalendarEventRequest
        {
            Id = "XYZ125", ProjectId = ProjectId, Title = "Call", StartTime = "2031-01-02 08:00:00", Timezone = "America/New_York",
        });

        Assert.Equal("2031-01-02T08:30:00-05:00", saved.EndTime);
        Assert.Empty(saved.Reminders);
        Assert.Equal(["id", "projectId", "title", "startTime", "timezone"],
            JsonNode.Parse(wire.LastBody("POST", "/partner/v2/calendar-event"))!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task DeleteWithNotifyCancelsTheEventAndTellsTheAttendee()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);
        await client.SaveCalendarEventAsync(null, new CalendarEventRequest
        {
            Id = "XYZ126", ProjectId = ProjectId, Title = "Jane Smith Desposition", Attendees = [new Reference { ExternalId = ContactId }],
            StartTime = "2031-01-01 08:00:00", Timezone = "EST",
        });

        await client.CancelCalendarEventAsync(ProjectId, "XYZ126", true);
        await app.DispatchAsync();

        Assert.Equal("canceled", (await client.GetCalendarEventAsync(ProjectId, "XYZ126")).Status);
        Assert.Contains(wire.Requests, r => r is { Method: "DELETE", PathAndQuery: "/partner/v2/project/1234/calendar-event/XYZ126?notify=true" });
        Assert.Contains(app.SinkLines(), l => (string?)l["to"] == Phone
            && ((string?)l["text"])!.Contains("Jane Smith Desposition on Wed, Jan 1 at 8:00 AM EST has been canceled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReadOfAnUnknownProjectIsAProblemWhoseDetailTheClientExposes()
    {
        var (client, _) = await ClientAsync();

        var problem = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetProjectAsync("no-such-project"));

        Assert.Equal(404, problem.StatusCode);
        Assert.Equal(404, problem.Result.Status);
        Assert.Contains("no-such-project", problem.Result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadPhoneIsAValidationProblemWhoseErrorsTheClientExposesByField()
    {
        var (client, _) = await ClientAsync();

        var problem = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() =>
            client.PutContactAsync(new ContactRequest { ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "12" }));

        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("phone", problem.Result.Errors.Keys);
        Assert.Contains("12", Assert.Single(problem.Result.Errors["phone"]), StringComparison.Ordinal);
    }
}
