using System.ComponentModel.DataAnnotations;
using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Casewire.CompanyApp.Pages.Account;

/// <summary>Email and password; five failures in a row lock the login for 15 minutes.</summary>
sealed class LoginModel(SignInManager<StaffUser> signIn) : PageModel
{
    [BindProperty, Required, EmailAddress] public string Email { get; set; } = "";
    [BindProperty, Required, DataType(DataType.Password)] public string Password { get; set; } = "";
    [BindProperty] public bool StaySignedIn { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public const string Refused =
        "The email or password is not right. After five failed attempts a login is locked for 15 minutes.";

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, StaySignedIn, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");

        // One answer for an unknown email, a wrong password and a locked login (SPEC §11): none says which it was.
        ModelState.AddModelError(string.Empty, Refused);
        return Page();
    }
}
