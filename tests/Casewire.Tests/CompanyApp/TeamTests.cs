using System.Net;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>Team (SPEC §8): users with roles and one-time passwords, CMS team members, and always an admin.</summary>
public sealed class TeamTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    Task<StaffUser?> UserAsync(string email) => app.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == email));

    Task<int> UserIdAsync(string email) => app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task AnAdminCreatesAUserWhoseOneTimePasswordSignsInAndMustBeReplaced()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var email = $"dana-{Guid.NewGuid():N}@example.com";

        var response = await admin.PostFormAsync("/team?handler=Create", new()
        {
            ["NewUser.Email"] = email, ["NewUser.DisplayName"] = "Dana Reyes", ["NewUser.Role"] = "Follower",
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var password = PageHtml.TextOf(html, "data-one-time-password");
        Assert.False(string.IsNullOrEmpty(password));
        var user = await UserAsync(email);
        Assert.NotNull(user);
        Assert.Equal((tenant.CompanyId, StaffRole.Follower, "Dana Reyes", true), (user.CompanyId, user.Role, user.DisplayName, user.MustChangePassword));

        // The password is shown once: the team page lists the user, never the password.
        var list = await admin.GetPageAsync("/team");
        Assert.Contains(email, list);
        Assert.Contains("first sign-in pending", list);
        Assert.DoesNotContain(password, list);

        // It signs in, and nothing but the password page opens until it is replaced.
        var newcomer = new StaffSession(app.CreateClient(new() { AllowAutoRedirect = false }), email, password);
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.SignInAsync()).StatusCode);
        var dashboard = await newcomer.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/account/password", dashboard.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("not-an-email", "is not a valid email address")]
    [InlineData("", "is not a valid email address")]
    public async Task ABadEmailIsShownNextToTheFieldAndCreatesNoUser(string email, string message)
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = await app.WithDbAsync(db => db.Users.CountAsync(u => u.CompanyId == tenant.CompanyId));

        var response = await admin.PostFormAsync("/team?handler=Create", new() { ["NewUser.Email"] = email, ["NewUser.Role"] = "User" });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, PageHtml.FieldError(html, "NewUser.Email"));
        Assert.Null(PageHtml.TextOf(html, "data-one-time-password"));
        Assert.Equal(before, await app.WithDbAsync(db => db.Users.CountAsync(u => u.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task AnEmailThatAlreadySignsInToAnyFirmIsRefused()
    {
        var other = await StaffSession.CreateUserAsync(app, (await app.NewTenantAsync()).CompanyId);
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var response = await admin.PostFormAsync("/team?handler=Create", new() { ["NewUser.Email"] = other.Email, ["NewUser.Role"] = "User" });

        Assert.Contains("cannot be used for a new login", PageHtml.FieldError(await response.Content.ReadAsStringAsync(), "NewUser.Email"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Email == other.Email)));
    }

    [Fact]
    public async Task TheLastAdminCanNeitherRemoveNorDemoteThemselves()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var id = (await UserIdAsync(admin.Email)).ToString();

        var remove = await admin.PostFormAsync("/team?handler=Remove", new() { ["id"] = id });
        var demote = await admin.PostFormAsync("/team?handler=Role", new() { ["id"] = id, ["role"] = "User" });

        Assert.Contains("You cannot remove yourself", await remove.Content.ReadAsStringAsync());
        Assert.Contains("at least one admin", await demote.Content.ReadAsStringAsync());
        var user = await UserAsync(admin.Email);
        Assert.Equal(StaffRole.Admin, user!.Role);
    }

    [Fact]
    public async Task TheLastAdminIsNotRemovedEvenByAnAdminWhoseCookieIsStale()
    {
        var tenant = await app.NewTenantAsync();
        var first = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var second = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        // The second admin is demoted; their cookie still says Admin until its next check against the database.
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == second.Email);
            user.Role = StaffRole.User;
            await db.SaveChangesAsync();
        });

        var response = await second.PostFormAsync("/team?handler=Remove", new() { ["id"] = (await UserIdAsync(first.Email)).ToString() });

        Assert.Contains("at least one admin", await response.Content.ReadAsStringAsync());
        Assert.NotNull(await UserAsync(first.Email));
    }

    [Fact]
    public async Task WithTwoAdminsOneDemotesAndThenRemovesTheOther()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var colleague = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var id = (await UserIdAsync(colleague.Email)).ToString();

        var demoted = await admin.PostFormAsync("/team?handler=Role", new() { ["id"] = id, ["role"] = "Follower" });
        var roleAfter = (await UserAsync(colleague.Email))!.Role;
        var removed = await admin.PostFormAsync("/team?handler=Remove", new() { ["id"] = id });

        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);
        Assert.Equal(StaffRole.Follower, roleAfter);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null(await UserAsync(colleague.Email));
    }

    [Fact]
    public async Task AnAdminLinksAUserToACmsTeamMemberButNeverToAnotherCompanysOrAnotherCompanysUser()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        await tenant.TeamMemberAsync("cms-42", "sam.park@example.com", "Sam", "Park");
        await other.TeamMemberAsync("cms-99", "lee.chan@example.com", "Lee", "Chan");
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var sam = await StaffSession.CreateUserAsync(app, tenant.CompanyId, StaffRole.User);
        var stranger = await StaffSession.CreateUserAsync(app, other.CompanyId, StaffRole.User);
        var samId = (await UserIdAsync(sam.Email)).ToString();
        var (ours, theirs) = await app.WithDbAsync(async db => (
            await db.TeamMembers.Where(m => m.CompanyId == tenant.CompanyId).Select(m => m.Id).SingleAsync(),
            await db.TeamMembers.Where(m => m.CompanyId == other.CompanyId).Select(m => m.Id).SingleAsync()));

        var linked = await admin.PostFormAsync("/team?handler=Link", new() { ["id"] = samId, ["teamMemberId"] = ours.ToString() });
        var foreignMember = await admin.PostFormAsync("/team?handler=Link", new() { ["id"] = samId, ["teamMemberId"] = theirs.ToString() });
        var foreignUser = await admin.PostFormAsync("/team?handler=Link",
            new() { ["id"] = (await UserIdAsync(stranger.Email)).ToString(), ["teamMemberId"] = ours.ToString() });
        var foreignRemove = await admin.PostFormAsync("/team?handler=Remove", new() { ["id"] = (await UserIdAsync(stranger.Email)).ToString() });

        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignRemove.StatusCode);
        Assert.Equal(ours, (await UserAsync(sam.Email))!.TeamMemberId);
        Assert.Null((await UserAsync(stranger.Email))!.TeamMemberId);
        Assert.NotNull(await UserAsync(stranger.Email));
        var page = await admin.GetPageAsync("/team");
        Assert.Contains("cms-42", page);
        Assert.Contains("sam.park@example.com", page);
        Assert.DoesNotContain("cms-99", page);
        Assert.DoesNotContain(stranger.Email, page);
    }

    [Fact]
    public async Task AFollowerSeesTheTeamButCannotAddAnyone()
    {
        var tenant = await app.NewTenantAsync();
        var follower = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);
        var email = $"nope-{Guid.NewGuid():N}@example.com";

        var page = await follower.GetPageAsync("/team");
        var response = await follower.PostFormAsync("/team?handler=Create", new() { ["NewUser.Email"] = email, ["NewUser.Role"] = "Admin" });

        Assert.Contains(follower.Email, page);
        Assert.DoesNotContain("Create login", page);
        Assert.Equal("/denied", response.Headers.Location!.AbsolutePath);
        Assert.Null(await UserAsync(email));
    }

    [Fact]
    public async Task ALockedUserIsShownAndAnAdminUnlocksThem()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var locked = await StaffSession.CreateUserAsync(app, tenant.CompanyId, StaffRole.User);
        for (var i = 0; i < 5; i++) await locked.SignInAsync("Not-The-Password-1");

        var page = await admin.GetPageAsync("/team");
        var unlock = await admin.PostFormAsync("/team?handler=Unlock", new() { ["id"] = (await UserIdAsync(locked.Email)).ToString() });

        Assert.Contains("badge bad\">locked", page);
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await locked.SignInAsync()).StatusCode);
    }
}
