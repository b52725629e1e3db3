using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// Creates the firms, contacts and projects a test needs through the Partner API, as a CMS would
/// (only a firm's own sender number, which no API sets, is written to the database).
/// </summary>
public static class PartnerSetup
{
    /// <summary>The name of the case <see cref="ClientOnProjectAsync"/> opens.</summary>
    public const string CaseName = "Lee v. Harbor Freight";

    static int _numbers;

    /// <summary>A valid US mobile number no other test uses.</summary>
    public static string UniqueNumber() => $"+1415555{Interlocked.Increment(ref _numbers) % 10000:D4}";

    // ---- contacts ----

    /// <summary>PUTs <paramref name="contact"/> (an object, or JSON text sent as is); expects it created or updated and returns its representation.</summary>
    public static Task<JsonObject> PutContactAsync(this CasewireApp.Tenant tenant, object contact) =>
        UpsertAsync(tenant, "/partner/v2/contacts", contact);

    public static async Task<int> ContactAsync(this CasewireApp.Tenant tenant, string externalId, string? phone = null, string? email = null,
        string firstName = "Ann", string lastName = "Lee")
    {
        var body = new Dictionary<string, object?> { ["externalId"] = externalId, ["firstName"] = firstName, ["lastName"] = lastName };
        if (phone is not null) body["phone"] = phone;
        if (email is not null) body["email"] = email;
        return (int)(await tenant.PutContactAsync(body))["id"]!;
    }

    // ---- projects ----

    /// <summary>PUTs <paramref name="project"/> (an object, or JSON text sent as is); expects it created or updated and returns its representation.</summary>
    public static Task<JsonObject> PutProjectAsync(this CasewireApp.Tenant tenant, object project) =>
        UpsertAsync(tenant, "/partner/v2/projects", project);

    /// <summary>A project named "Case {externalId}" unless <paramref name="name"/> says otherwise; without milestones unless asked.</summary>
    public static async Task<int> ProjectAsync(this CasewireApp.Tenant tenant, string externalId, string[] clients,
        string phase = "Intake", string type = "Personal Injury", bool milestones = false, string? name = null, string status = "In Progress")
    {
        var project = await tenant.PutProjectAsync(new
        {
            externalId, name = name ?? "Case " + externalId, partnerPhaseName = phase, clients, partnerProjectTypeName = type,
            milestonesEnabled = milestones, status,
        });
        return (int)project["id"]!;
    }

    /// <summary>A new company whose project <paramref name="projectId"/> (Intake, no milestones) has these clients, each named Ann Lee.</summary>
    public static async Task<CasewireApp.Tenant> ProjectWithClientsAsync(this CasewireApp app, string projectId,
        params (string Id, string? Phone, string? Email)[] clients)
    {
        var tenant = await app.NewTenantAsync();
        foreach (var (id, phone, email) in clients) await tenant.ContactAsync(id, phone, email);
        await tenant.ProjectAsync(projectId, clients.Select(c => c.Id).ToArray());
        return tenant;
    }

    // ---- team members ----

    public static async Task TeamMemberAsync(this CasewireApp.Tenant tenant, string externalId, string email, string firstName = "Sam", string lastName = "Park")
    {
        var response = await tenant.Http.PutJsonAsync("/partner/v2/team-members", new { externalId, firstName, lastName, email });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    // ---- firms that text from their own number ----

    /// <summary>
    /// A company with its own sender number: each test's texts have their own rate budget and are
    /// told apart at a fake provider, while the class shares one app.
    /// </summary>
    public static async Task<(CasewireApp.Tenant Tenant, string Sender)> NewSendingTenantAsync(this CasewireApp app, string? helpText = null)
    {
        var tenant = await app.NewTenantAsync();
        var sender = UniqueNumber();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.SenderNumber = sender;
            company.HelpText = helpText;
            await db.SaveChangesAsync();
        });
        return (tenant, sender);
    }

    /// <summary>
    /// A company with its own number, and client c1 (Ann Lee, a fresh number, optionally an email) on
    /// project p1, <see cref="CaseName"/>, in Intake without milestones: only the texts a test sends go out.
    /// </summary>
    public static async Task<(CasewireApp.Tenant Tenant, string Sender, string Phone)> ClientOnProjectAsync(this CasewireApp app,
        string? email = null, string? helpText = null)
    {
        var (tenant, sender) = await app.NewSendingTenantAsync(helpText);
        var phone = UniqueNumber();
        await tenant.ContactAsync("c1", phone, email);
        await tenant.ProjectAsync("p1", ["c1"], name: CaseName);
        return (tenant, sender, phone);
    }

    static async Task<JsonObject> UpsertAsync(CasewireApp.Tenant tenant, string path, object body)
    {
        var response = body is string json ? await tenant.Http.PutJsonAsync(path, json) : await tenant.Http.PutJsonAsync(path, body);
        var representation = await response.JsonAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, representation.ToJsonString());
        return representation;
    }
}
