using System.Text.Json.Nodes;
using Casewire.ClientTests.Kiota;
using Casewire.ClientTests.Kiota.Models;
using Casewire.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Casewire.ClientTests;

/// <summary>
/// The help page's flows through the Kiota C# client that scripts/clients.sh generated from the server's
/// <c>/openapi/v1.json</c>, with typed calls only: no <c>AdditionalData</c>, no dictionaries. Kiota types a
/// <c>Reference</c> as a string, so contacts and members are named by external id, email or phone.
/// </summary>
public sealed class KiotaClientTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string ContactId = "123-1231";
    const string ProjectId = "1234";
    const string Phone = "+15551234567";

    async Task<(CasewireClient Client, WireLog Wire)> ClientAsync()
    {
        var (http, wire) = WireLog.ClientFor(app, await app.NewTenantAsync());
        // The token rides on the HttpClient; Kiota's bearer provider would want https.
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        };
        return (new CasewireClient(adapter), wire);
    }

    /// <summary>The help page's firm: John Doe, the paralegal Sam Park, and project 1234 with John as its client.</summary>
    static async Task<ProjectResponse> HelpPageFirmAsync(CasewireClient client)
    {
        await client.Partner.V2.Contacts.PutAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Email = "john.doe@example.com", Phone = Phone,
        });
        await client.Partner.V2.TeamMembers.PutAsync(new TeamMemberRequest
        {
            ExternalId = "32435", FirstName = "Sam", LastName = "Park", Email = "sam.park@example.com",
        });
        return (await client.Partner.V2.Projects.PutAsync(new ProjectRequest
        {
            ExternalId = ProjectId, Name = "New Project", PartnerPhaseName = "Intake", Clients = [ContactId],
            PartnerProjectTypeName = "Web Dev", MilestonesEnabled = true, Status = ProjectRequest_status.NotStarted,
        }))!;
    }

    [Fact]
    public async Task AContactIsCreatedAndAnUpdateThatSetsOnlyThePhoneKeepsTheEmail()
    {
        var (client, wire) = await ClientAsync();

        var created = await client.Partner.V2.Contacts.PutAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Email = "john.doe@example.com", Phone = Phone,
            NotificationPreference = ContactRequest_notificationPreference.Both,
        });
        var updated = await client.Partner.V2.Contacts.PutAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "+15557654321",
        });
        var read = await client.Partner.V2.Contacts[ContactId].GetAsync();

        Assert.True(created!.Id > 0);
        Assert.Equal("john.doe@example.com", created.Email);
        Assert.Equal("both", created.NotificationPreference);
        Assert.Equal(created.Id, updated!.Id);
        Assert.Equal("+15557654321", read!.Phone);
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
        Assert.Equal(ContactId, Assert.Single(project.Clients!).ExternalId);
        Assert.Equal("Web Dev", project.ProjectType!.Name);
        Assert.Equal("Not Started", project.Status);
        Assert.Equal("""["123-1231"]""", JsonNode.Parse(wire.LastBody("PUT", "/partner/v2/projects"))!["clients"]!.ToJsonString());
    }

    [Fact]
    public async Task AMessageIsSentByProjectWithItsAuthorAndByPhoneAlone()
    {
        var (client, _) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var byProject = await client.Partner.V2.SendMessage.PostAsync(new SendMessageRequest { ProjectId = ProjectId, Text = "New Project", AuthorId = "32435" });
        var byPhone = await client.Partner.V2.SendMessage.PostAsync(new SendMessageRequest { PhoneNumber = Phone, Text = "Your documents are ready." });
        await app.DispatchAsync();

        Assert.Equal(ProjectId, byProject!.ProjectId);
        Assert.Equal("32435", byProject.Author!.ExternalId);
        Assert.Equal(Phone, Assert.Single(byProject.Recipients!).Address);
        Assert.Null(byPhone!.ProjectId);
        Assert.Equal("sms", Assert.Single(byPhone.Recipients!).Channel);
        Assert.Equal("sent", Assert.Single((await client.Partner.V2.Messages[byPhone.Id!.Value].GetAsync())!.Recipients!).Status);
        Assert.Contains(byProject.Id, (await client.Partner.V2.Projects[ProjectId].Messages.GetAsync())!.Items!.Select(m => m.Id));
    }

    [Fact]
    public async Task ACalendarEventTakesItsRemindersAsObjectsAndItsPeopleAsReferences()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var saved = await client.Partner.V2.CalendarEvent.PostAsync(new CalendarEventRequest
        {
            Id = "XYZ124", ProjectId = ProjectId, Title = "Jane Smith Desposition",
            Attendees = ["john.doe@example.com"], TeamMembers = ["sam.park@example.com"], OtherMembers = ["lee.chan@example.com"],
            StartTime = "2031-01-01 08:00:00", EndTime = "2031-01-01 08:30:00", Timezone = "EST",
            Location = "1234 courtroom road, new york", Description = "this is a description",
            Reminders = [new Reminder { Unit = Reminder_unit.Day, Amount = new Reminder.Reminder_amount { String = "1" } }], Notify = true,
        });

        Assert.Equal("America/New_York", saved!.Timezone);
        Assert.Equal("2031-01-01T08:00:00-05:00", saved.StartTime);
        Assert.Equal(ContactId, Assert.Single(saved.Attendees!).ExternalId);
        Assert.Equal("32435", Assert.Single(saved.TeamMembers!).ExternalId);
        var reminder = Assert.Single(saved.Reminders!);
        Assert.Equal(("day", 1, "scheduled"), (reminder.Unit, reminder.Amount, reminder.Status));
        Assert.Contains(saved.Warnings!, w => w.Contains("lee.chan@example.com", StringComparison.Ordinal));
        Assert.Equal("""[{"amount":"1","unit":"day"}]""", JsonNode.Parse(wire.LastBody("POST", "/partner/v2/calendar-event"))!["reminders"]!.ToJsonString());
    }

    [Fact]
    public async Task ACalendarEventWithoutItsOptionalFieldsIsSaved()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);

        var saved = await client.Partner.V2.CalendarEvent.PostAsync(new CalendarEventRequest
        {
            Id = "XYZ125", ProjectId = ProjectId, Title = "Call", StartTime = "2031-01-02 08:00:00", Timezone = "America/New_York",
        });

        Assert.Equal("2031-01-02T08:30:00-05:00", saved!.EndTime);
        Assert.Empty(saved.Reminders!);
        Assert.Equal(["id", "projectId", "startTime", "timezone", "title"],
            JsonNode.Parse(wire.LastBody("POST", "/partner/v2/calendar-event"))!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task DeleteWithNotifyCancelsTheEventAndTellsTheAttendee()
    {
        var (client, wire) = await ClientAsync();
        await HelpPageFirmAsync(client);
        await client.Partner.V2.CalendarEvent.PostAsync(new CalendarEventRequest
        {
            Id = "XYZ126", ProjectId = ProjectId, Title = "Jane Smith Desposition", Attendees = [ContactId],
            StartTime = "2031-01-01 08:00:00", Timezone = "EST",
        });

        await client.Partner.V2.Project[ProjectId].CalendarEvent["XYZ126"].DeleteAsync(c => c.QueryParameters.Notify = true);
        await app.DispatchAsync();

        Assert.Equal("canceled", (await client.Partner.V2.Project[ProjectId].CalendarEvent["XYZ126"].GetAsync())!.Status);
        Assert.Contains(wire.Requests, r => r is { Method: "DELETE", PathAndQuery: "/partner/v2/project/1234/calendar-event/XYZ126?notify=true" });
        Assert.Contains(app.SinkLines(), l => (string?)l["to"] == Phone
            && ((string?)l["text"])!.Contains("Jane Smith Desposition on Wed, Jan 1 at 8:00 AM EST has been canceled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReadOfAnUnknownProjectIsAProblemWhoseDetailTheClientExposes()
    {
        var (client, _) = await ClientAsync();

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => client.Partner.V2.Projects["no-such-project"].GetAsync());

        Assert.Equal(404, problem.ResponseStatusCode);
        Assert.Equal(404, problem.Status);
        Assert.Contains("no-such-project", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadPhoneIsAValidationProblemWhoseErrorsTheClientExposesByField()
    {
        var (client, _) = await ClientAsync();

        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => client.Partner.V2.Contacts.PutAsync(new ContactRequest
        {
            ExternalId = ContactId, FirstName = "John", LastName = "Doe", Phone = "12",
        }));

        Assert.Equal(400, problem.ResponseStatusCode);
        // errors is a map keyed by field name: Kiota keeps a map's entries in AdditionalData (reading it, not sending it).
        Assert.Contains("phone", problem.Errors!.AdditionalData.Keys);
    }
}
