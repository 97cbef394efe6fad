/** What the sign-in page says for next-auth's ?error=... values. */
export function signInErrorText(error: string | null | undefined): string | null {
  if (!error) return null;
  switch (error) {
    case "CredentialsSignin": return "wrong email or password";
    case "NoAccount": return "There is no Cairn account for this sign-in. Ask an admin for an invite link.";
    case "OAuthSignin": case "OAuthCallback": case "OAuthCreateAccount": case "Callback":
      return "Single sign-on failed. Try again, or sign in with your e-mail and password.";
    case "AccessDenied": return "Access denied.";
    case "SessionRequired": return "Sign in to continue.";
    case "Configuration": case "Default": return "Sign-in failed. Try again.";
    // The rate limiter passes its own sentence ("too many attempts, try again in …").
    default: return error;
  }
}
