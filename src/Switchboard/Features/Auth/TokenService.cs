using Microsoft.IdentityModel.JsonWebTokens;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Data;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Auth;

public sealed record TokenPair(string Access, string Refresh);

/// <summary>The HMAC key that signs access tokens: configured, or generated once and kept in DataDir.</summary>
public sealed class SigningKey
{
    public SymmetricSecurityKey Key { get; }

    public SigningKey(IOptions<SwitchboardOptions> options)
    {
        var configured = options.Value.Jwt.SigningKey;
        byte[] bytes;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            bytes = Encoding.UTF8.GetBytes(configured);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Jwt:SigningKey must be at least 32 bytes long.");
            }
        }
        else
        {
            bytes = LoadOrCreate(Path.Combine(options.Value.ResolveDataDir(), "jwt-signing.key"));
        }
        Key = new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        var bytes = RandomNumberGenerator.GetBytes(64);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(bytes));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        try
        {
            // Two instances starting at once: the first to move its file in wins, the other reads it.
            File.Move(temp, path, overwrite: false);
            return bytes;
        }
        catch (IOException)
        {
            File.Delete(temp);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}

public sealed class TokenService(AppDbContext db, SigningKey signingKey, SessionService sessions, IOptions<SwitchboardOptions> options,
    TimeProvider clock)
{
    private readonly JwtOptions _jwt = options.Value.Jwt;

    /// <summary>A token pair for a new sign-in: a new session with its first refresh token.</summary>
    public async Task<TokenPair> SignInAsync(User user, HttpContext http, CancellationToken ct)
    {
        var session = await sessions.StartAsync(user, http, ct);
        return await IssueAsync(user, session, familyId: null, ct);
    }

    private async Task<TokenPair> IssueAsync(User user, Session session, string? familyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var refresh = NewRefreshToken();
        db.RefreshTokens.Add(new RefreshToken
        {
            UserId = user.Id,
            FamilyId = familyId ?? Guid.NewGuid().ToString("N"),
            SessionId = session.Id,
            TokenHash = Hash(refresh),
            CreatedAt = now,
            ExpiresAt = now.AddDays(_jwt.RefreshTokenDays),
        });
        await db.SaveChangesAsync(ct);
        return new TokenPair(CreateAccessToken(user, session.Id, now), refresh);
    }

    public string CreateAccessToken(User user, long sessionId, DateTime now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _jwt.Issuer,
            Audience = _jwt.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(_jwt.AccessTokenMinutes),
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(JwtRegisteredClaimNames.UniqueName, user.Username),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(SessionClaims.SessionId, SessionIds.Format(sessionId)),
            ]),
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>
    /// Rotates a refresh token. A token that was already used is a replay: its session is ended
    /// (and the whole family revoked) so that neither the thief nor the victim can continue with it.
    /// </summary>
    public async Task<TokenPair?> RefreshAsync(string presented, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = Hash(presented);
        var token = await db.RefreshTokens.Include(t => t.User).Include(t => t.Session)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.RevokedAt is not null || !token.User.IsActive || token.Session is { EndedAt: not null })
        {
            return null;
        }
        if (token.UsedAt is not null)
        {
            await RevokeFamilyAsync(token, now, ct);
            return null;
        }
        if (token.ExpiresAt <= now)
        {
            return null;
        }

        // Claim the token with a conditional update so that two concurrent refreshes cannot both win.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(token, now, ct);
            return null;
        }

        // A family from before sessions existed becomes a session on its first refresh.
        var session = token.Session ?? await sessions.StartAsync(token.User, http, ct);
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedAt, now), ct);
        return await IssueAsync(token.User, session, token.FamilyId, ct);
    }

    private async Task RevokeFamilyAsync(RefreshToken token, DateTime now, CancellationToken ct)
    {
        await db.RefreshTokens.Where(t => t.FamilyId == token.FamilyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (token.SessionId is { } sessionId)
        {
            await sessions.EndAsync(sessionId, ct);
        }
    }

    private static string NewRefreshToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static TokenValidationParameters ValidationParameters(SigningKey key, JwtOptions jwt) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = jwt.Issuer,
        ValidateAudience = true,
        ValidAudience = jwt.Issuer,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = key.Key,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(5),
        NameClaimType = JwtRegisteredClaimNames.UniqueName,
    };
}
