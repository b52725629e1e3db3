using System.ComponentModel.DataAnnotations;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Account;

/// <summary>Change the signed-in user's password; required after a CLI-printed one-time password.</summary>
sealed class PasswordModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn) : StaffPageModel
{
    [BindProperty, Required] public string Current { get; set; } = "";
    [BindProperty, Required] public string New { get; set; } = "";
    [BindProperty, Required, Compare(nameof(New), ErrorMessage = "The two new passwords differ.")] public string Confirm { get; set; } = "";

    public bool MustChange => User.HasClaim(StaffClaims.MustChangePassword, "true");

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        var result = await users.ChangePasswordAsync(user, Current, New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) ModelState.AddModelError(string.Empty, error.Description);
            return Page();
        }
        if (user.MustChangePassword)
        {
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
        }
        await signIn.RefreshSignInAsync(user);
        Flash = "Your password is changed.";
        return Redirect("/");
    }
}
