using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Auth;

public static class SessionSetup
{
    /// <summary>Sessions, the revocation list every instance keeps, and the bearer check against it.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<RevokedSessions>();
        services.AddSingleton<ISessionRevocations>(sp => sp.GetRequiredService<RevokedSessions>());
        services.AddHostedService(sp => sp.GetRequiredService<RevokedSessions>());
        services.AddScoped<SessionService>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ISessionRevocations>((o, revocations) => o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => SessionCheck.OnTokenValidated(context, revocations),
                OnChallenge = SessionCheck.OnChallenge,
            });
        return services;
    }
}

/// <summary>Refuses a valid access token whose session has ended, or that names no session.</summary>
internal static class SessionCheck
{
    private const string SessionEnded = "The session has ended. Sign in again.";
    private const string NoSession = "The token belongs to no session. Sign in again.";

    public static Task OnTokenValidated(TokenValidatedContext context, ISessionRevocations revocations)
    {
#if !SWITCHBOARD_BENCH_NO_REVOCATION_CHECK
        // Tokens from before sessions existed carry no sid; they are refused (they lived 15 minutes at most).
        if (context.SecurityToken is not JsonWebToken jwt ||
            !jwt.TryGetPayloadValue<string>(SessionClaims.SessionId, out var sid) || !SessionIds.TryParse(sid, out var sessionId))
        {
            context.Fail(NoSession);
        }
        else if (revocations.IsRevoked(sessionId))
        {
            context.Fail(SessionEnded);
        }
#endif
        return Task.CompletedTask;
    }

    /// <summary>Says why a refused token was refused, when it was refused for its session.</summary>
    public static async Task OnChallenge(JwtBearerChallengeContext context)
    {
        var reason = context.AuthenticateFailure?.Message;
        if (reason is not (SessionEnded or NoSession) || context.Response.HasStarted)
        {
            return;
        }
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"" + reason + "\"";
        await Problems.Unauthorized(reason).ExecuteAsync(context.HttpContext);
    }
}
