# The README's quick start, as a script. Run it with pwsh:
#     pwsh ./examples/quickstart.ps1
# or, without pwsh, on the PowerShell engine the repository builds:
#     dotnet run --project src/Secrets.Runner -- examples/quickstart.ps1
# It works in a throwaway Secrets home, so it never touches your own identity or store.

$ErrorActionPreference = 'Stop'
$env:SECRETS_HOME = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "secrets-quickstart-$PID")

try {
    # 1. An identity: your key pairs. Interactively you would run New-SecretIdentity and choose a
    #    passphrase; -NoPassword keeps the keys in an owner-only file, for unattended jobs.
    $identity = New-SecretIdentity -DisplayName 'quickstart' -NoPassword
    "Your recipient string (hand it to people who share secrets with you): $($identity.Recipient)"

    # 2. Store secrets. The first write creates your personal store.
    Set-Secret -Name 'github-token' -Secret 'ghp_example_token_value'
    Set-Secret -Name 'prod/db' -Secret @{ user = 'app'; password = 'correct horse battery staple' } -Metadata @{ owner = 'ops'; rotateDays = 90 }

    # 3. Read them back. Strings come back as SecureString unless you ask for plain text.
    Get-Secret -Name 'github-token' -AsPlainText
    (Get-Secret -Name 'prod/db' -AsPlainText).user

    # 4. Every write is a new version; older ones stay readable.
    Set-Secret -Name 'github-token' -Secret 'ghp_rotated_token_value'
    Get-Secret -Name 'github-token' -Version 1 -AsPlainText

    # 5. List what the store holds: names, types, versions, metadata. Never values.
    Get-SecretInfo
}
finally {
    Lock-SecretIdentity -All
    [System.IO.Directory]::Delete($env:SECRETS_HOME, $true)
    [System.Environment]::SetEnvironmentVariable('SECRETS_HOME', $null)
}
