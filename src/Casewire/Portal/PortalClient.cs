using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Portal;

/// <summary>What a portal link opens, if anything.</summary>
enum LinkState
{
    Works,
    /// <summary>Genuine, not revoked, still the client's case, but older than <c>Portal:LinkLifetime</c>.</summary>
    Expired,
    /// <summary>Altered, made up, revoked (an older <see cref="Company.PortalLinkVersion"/>), or no longer the client's case.</summary>
    DoesNotWork,
}

/// <summary>The client a portal link names, and their case: everything the portal shows is scoped by these three.</summary>
sealed record PortalClient(Company Company, Project Project, Contact Contact)
{
    public static async Task<(LinkState State, PortalClient? Client)> OpenAsync(CasewireDb db, PortalLinks links, string? token, CancellationToken ct)
    {
        var access = links.Read(token);
        if (access is null) return (LinkState.DoesNotWork, null);
        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == access.CompanyId, ct);
        if (company is null || company.PortalLinkVersion != access.LinkVersion) return (LinkState.DoesNotWork, null);
        var found = await db.ProjectClients.AsNoTracking()
            .Where(c => c.ProjectId == access.ProjectId && c.ContactId == access.ContactId)
            .Join(db.Projects.ForCompany(company.Id), c => c.ProjectId, p => p.Id, (c, p) => new { Project = p, c.Contact })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.Contact.CompanyId != company.Id) return (LinkState.DoesNotWork, null);
        var client = new PortalClient(company, found.Project, found.Contact);
        return (links.HasExpired(access) ? LinkState.Expired : LinkState.Works, client);
    }
}
