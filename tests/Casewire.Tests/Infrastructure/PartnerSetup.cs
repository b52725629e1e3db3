using System.Net;

namespace Casewire.Tests.Infrastructure;

/// <summary>Creates the contacts and projects a test needs through the Partner API, as a CMS would.</summary>
public static class PartnerSetup
{
    public static async Task<int> ContactAsync(this CasewireApp.Tenant tenant, string externalId, string? phone = null, string? email = null,
        string firstName = "Ann", string lastName = "Lee")
    {
        var body = new Dictionary<string, object?> { ["externalId"] = externalId, ["firstName"] = firstName, ["lastName"] = lastName };
        if (phone is not null) body["phone"] = phone;
        if (email is not null) body["email"] = email;
        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts", body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, json.ToJsonString());
        return (int)json["id"]!;
    }

    public static async Task<int> ProjectAsync(this CasewireApp.Tenant tenant, string externalId, string[] clients,
        string phase = "Intake", string type = "Personal Injury", bool milestones = false)
    {
        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", new
        {
            externalId, name = "Case " + externalId, partnerPhaseName = phase, clients, partnerProjectTypeName = type,
            milestonesEnabled = milestones, status = "In Progress",
        });
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, json.ToJsonString());
        return (int)json["id"]!;
    }

    public static async Task TeamMemberAsync(this CasewireApp.Tenant tenant, string externalId, string email, string firstName = "Sam", string lastName = "Park")
    {
        var response = await tenant.Http.PutJsonAsync("/partner/v2/team-members", new { externalId, firstName, lastName, email });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
