using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Users;

namespace Switchboard.Features.Auth;

/// <summary>
/// One sign-in: the family of refresh tokens that a login started, and every access token issued
/// from them (they carry its id in the <c>sid</c> claim). Ending it refuses all of them.
/// </summary>
public sealed class Session
{
    public const int MaxUserAgentLength = 512;
    public const int MaxIpLength = 64;

    public long Id { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    // Moved on sign-in and on each refresh, not on every request: cheap, and accurate to the access-token lifetime.
    public DateTime LastUsedAt { get; set; }
    public string UserAgent { get; set; } = "";
    public string Ip { get; set; } = "";
    public DateTime? EndedAt { get; set; }

    public static Session Start(int userId, HttpContext http, DateTime now) => new()
    {
        UserId = userId,
        CreatedAt = now,
        LastUsedAt = now,
        UserAgent = Clip(StripControl(http.Request.Headers.UserAgent.ToString()), MaxUserAgentLength),
        Ip = Clip(http.Connection.RemoteIpAddress?.ToString() ?? "", MaxIpLength),
    };

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];

    // A header may carry bytes PostgreSQL will not store in text (NUL) or that no client should echo.
    private static string StripControl(string value) =>
        value.Any(char.IsControl) ? new string(value.Where(c => !char.IsControl(c)).ToArray()) : value;
}

/// <summary>Reads the session id out of a token's <c>sid</c> claim.</summary>
public static class SessionIds
{
    public static bool TryParse(string? value, out long sessionId) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out sessionId) && sessionId > 0;

    public static string Format(long sessionId) => sessionId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The caller's session; JwtBearer maps <c>sid</c> to <see cref="ClaimTypes.Sid"/>, so both names are read.</summary>
    public static long? GetSessionId(this ClaimsPrincipal user) =>
        TryParse(user.FindFirstValue(ClaimTypes.Sid) ?? user.FindFirstValue(SessionClaims.SessionId), out var id) ? id : null;
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> b)
    {
        b.ToTable("sessions");
        b.Property(s => s.UserAgent).HasMaxLength(Session.MaxUserAgentLength);
        b.Property(s => s.Ip).HasMaxLength(Session.MaxIpLength);
        b.HasIndex(s => new { s.UserId, s.EndedAt });
        // The revocation poll asks for sessions ended in the last few seconds.
        b.HasIndex(s => s.EndedAt);
        b.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
