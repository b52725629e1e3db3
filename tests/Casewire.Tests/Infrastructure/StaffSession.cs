using System.Net;
using System.Text.RegularExpressions;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// A staff member's browser, without the browser: a cookie-keeping client that does not follow redirects
/// (so tests see them), reads the antiforgery token from the page it is about to post to, and posts forms
/// the way a browser does.
/// </summary>
public sealed partial class StaffSession(HttpClient http, string email, string password)
{
    public HttpClient Http { get; } = http;
    public string Email { get; } = email;
    public string Password { get; } = password;

    /// <summary>A company user with a known password (no forced change), not yet signed in.</summary>
    internal static async Task<StaffSession> CreateUserAsync(CasewireApp app, int companyId, StaffRole role = StaffRole.Admin,
        bool mustChangePassword = false, string? email = null)
    {
        email ??= $"staff-{Guid.NewGuid().ToString("N")[..12]}@example.com";
        const string password = "Correct-Horse-42";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var result = await users.CreateAsync(new StaffUser
            {
                CompanyId = companyId, UserName = email, Email = email, Role = role, MustChangePassword = mustChangePassword,
                CreatedAt = app.Time.GetUtcNow(), LockoutEnabled = true,
            }, password);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        return new StaffSession(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), email, password);
    }

    /// <summary>A signed-in user of <paramref name="companyId"/>.</summary>
    internal static async Task<StaffSession> SignedInAsync(CasewireApp app, int companyId, StaffRole role = StaffRole.Admin)
    {
        var session = await CreateUserAsync(app, companyId, role);
        var response = await session.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    /// <summary>The page a redirect leads to (a form's post-redirect-get), or the response itself when it is none.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect ? await Http.GetAsync(response.Headers.Location) : response;

    public Task<HttpResponseMessage> SignInAsync(string? password = null) =>
        PostFormAsync("/login", new() { ["Email"] = Email, ["Password"] = password ?? Password });

    public async Task<string> GetPageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}\n{html}");
        return html;
    }

    /// <summary>Posts a form to <paramref name="path"/> with the antiforgery token of the page at <paramref name="formPage"/> (default: the same path).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await GetPageAsync(formPage ?? path.Split('?')[0]);
        var token = AntiforgeryToken(page) ?? throw new InvalidOperationException($"no antiforgery token on {formPage ?? path}");
        return await PostFormWithoutTokenAsync(path, new(fields) { ["__RequestVerificationToken"] = token });
    }

    public Task<HttpResponseMessage> PostFormWithoutTokenAsync(string path, Dictionary<string, string> fields) =>
        Http.PostAsync(path, new FormUrlEncodedContent(fields));

    public static string? AntiforgeryToken(string html) =>
        TokenInput().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) : null;

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)"|type="hidden" name="__RequestVerificationToken" value="([^"]+)""")]
    private static partial Regex TokenInput();
}
