using System.Net;
using Casewire.Portal;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Infrastructure;

/// <summary>A client with their portal link: a browser without the browser (cookies kept, redirects seen).</summary>
public static class PortalVisit
{
    /// <summary>The path of the client's portal link (<c>/portal/{token}</c>), issued now, as the welcome text would carry it.</summary>
    public static async Task<string> PortalPathAsync(this CasewireApp app, int companyId, int projectId, int contactId)
    {
        var company = await app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId));
        var link = app.Services.GetRequiredService<PortalLinks>().For(company, projectId, contactId);
        return new Uri(link).AbsolutePath;
    }

    /// <summary>The path of a short portal link (<c>/p/{code}</c>, SPEC §11) issued now and saved, as a text builder issues it.</summary>
    public static async Task<string> ShortPathAsync(this CasewireApp app, int companyId, int projectId, int contactId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Casewire.Data.CasewireDb>();
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId);
        var link = scope.ServiceProvider.GetRequiredService<ShortLinks>().Issue(company, projectId, contactId);
        await db.SaveChangesAsync();
        return new Uri(link).AbsolutePath;
    }

    /// <summary>The client's browser: a <see cref="StaffSession"/> that is nobody's login, for its page and form helpers.</summary>
    public static StaffSession ClientBrowser(this CasewireApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "", "");

    /// <summary>Writes in the portal's reply box, as the client would; returns the response (302 when sent).</summary>
    public static Task<HttpResponseMessage> ReplyInPortalAsync(this StaffSession browser, string portalPath, string text) =>
        browser.PostFormAsync(portalPath, new() { ["Text"] = text });

    /// <summary>Writes in the portal's reply box and expects it sent.</summary>
    public static async Task ReplyAsync(this CasewireApp app, string portalPath, string text)
    {
        var response = await app.ClientBrowser().ReplyInPortalAsync(portalPath, text);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"reply not sent: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
