using Casewire.Model;
using Casewire.Tests.Infrastructure;

namespace Casewire.BrowserTests.Infrastructure;

/// <summary>Signs a staff member in through the login form, as a person would.</summary>
static class Staff
{
    /// <summary>A new user of the company, signed in; <paramref name="email"/> fixes the address shown in the header (screenshots).</summary>
    public static async Task<IPage> SignedInPageAsync(BrowserApp app, int companyId, StaffRole role = StaffRole.Admin, string? email = null)
    {
        var user = await StaffSession.CreateUserAsync(app, companyId, role, email: email);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Generous: the password hash and the first page can take long on a machine busy with the rest of the suite
        // (the chaos test runs two servers at full speed beside the browser tests).
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            // Still on the form: say what it shows (a refusal, or nothing when the post never came back).
            var shown = await page.Locator("form").First.InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"Sign-in of {user.Email} did not leave {page.Url} in 90 s; the page shows: {shown}", e);
        }
        return page;
    }

    /// <summary>The repository's docs folder, for screenshots the README shows.</summary>
    public static string DocsFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Casewire.slnx"))) return Path.Combine(dir.FullName, "docs");
            throw new InvalidOperationException("Not inside the repository.");
        }
    }
}
