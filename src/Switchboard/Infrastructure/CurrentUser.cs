using System.Security.Claims;

namespace Switchboard.Infrastructure;

public static class CurrentUser
{
    /// <summary>The authenticated caller's id; endpoints that call this require authorization.</summary>
    public static int GetUserId(this ClaimsPrincipal user)
    {
        var value = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
        return int.TryParse(value, out var id) ? id : throw new InvalidOperationException("No authenticated user.");
    }
}
