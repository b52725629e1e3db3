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
    /// <summary>A long signed link (<c>/portal/{token}</c>), as issued before short links; it works until it expires.</summary>
    public static async Task<(LinkState State, PortalClient? Client)> OpenAsync(CasewireDb db, PortalLinks links, string? token, CancellationToken ct)
    {
        var access = links.Read(token);
        return access is null ? (LinkState.DoesNotWork, null) : await OpenAsync(db, access, links.HasExpired(access), ct);
    }

    /// <summary>The client of the link a portal route names: a short code (<c>/p/{code}</c>) or a signed token (<c>/portal/{token}</c>).</summary>
    public static Task<(LinkState State, PortalClient? Client)> OpenRouteAsync(CasewireDb db, PortalLinks links, ShortLinks shortLinks,
        RouteData route, DateTimeOffset now, CancellationToken ct) => route.Values["code"] is string code
        ? OpenShortAsync(db, shortLinks, code, now, ct)
        : OpenAsync(db, links, route.Values["token"] as string, ct);

    /// <summary>A short link (<c>/p/{code}</c>, SPEC §11).</summary>
    public static async Task<(LinkState State, PortalClient? Client)> OpenShortAsync(CasewireDb db, ShortLinks links, string? code, DateTimeOffset now,
        CancellationToken ct)
    {
        var link = await links.FindAsync(code, ct);
        return link is null
            ? (LinkState.DoesNotWork, null)
            : await OpenAsync(db, new PortalAccess(link.CompanyId, link.ProjectId, link.ContactId, link.IssuedAt, link.LinkVersion), now >= link.ExpiresAt, ct);
    }

    /// <summary>The client and case a link names, if the company has not revoked it and the contact is still a client of the case.</summary>
    static async Task<(LinkState State, PortalClient? Client)> OpenAsync(CasewireDb db, PortalAccess access, bool expired, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == access.CompanyId, ct);
        if (company is null || company.PortalLinkVersion != access.LinkVersion) return (LinkState.DoesNotWork, null);
        var found = await db.ProjectClients.AsNoTracking()
            .Where(c => c.ProjectId == access.ProjectId && c.ContactId == access.ContactId)
            .Join(db.Projects.ForCompany(company.Id), c => c.ProjectId, p => p.Id, (c, p) => new { Project = p, c.Contact })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.Contact.CompanyId != company.Id) return (LinkState.DoesNotWork, null);
        var client = new PortalClient(company, found.Project, found.Contact);
        return (expired ? LinkState.Expired : LinkState.Works, client);
    }
}
