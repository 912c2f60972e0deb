# The module's manifest. The build stages it, with Secrets.dll, into out/Secrets, where it is
# imported (Import-Module ./out/Secrets/Secrets.psd1); every other file it names is next to it here.
@{
    RootModule           = 'Secrets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0b3c0e-8f7a-4f5e-9a61-2b7c1d9e4a53'
    Author               = 'The Secrets authors'
    CompanyName          = 'The Secrets authors'
    Copyright            = 'Copyright (c) 2026 The Secrets authors. MIT License.'
    Description          = 'An encrypted, signed, shareable secret store for PowerShell jobs and automation: one file per secret, public-key recipients, versions, and secrets for jobs without writing them into scripts, logs or history.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('Secrets.format.ps1xml')
    # The SecretManagement vault (docs/VAULT.md): Register-SecretVault -ModuleName Secrets. Its
    # functions are for SecretManagement only; FunctionsToExport keeps them out of the session.
    NestedModules        = @('Secrets.Extension/Secrets.Extension.psd1')
    CmdletsToExport      = @(
        'New-Secret'
        'Set-Secret'
        'Get-Secret'
        'Get-SecretInfo'
        'Set-SecretInfo'
        'Remove-Secret'
        'Rename-Secret'
        'New-SecretIdentity'
        'Get-SecretIdentity'
        'Unlock-SecretIdentity'
        'Lock-SecretIdentity'
        'Set-SecretIdentity'
        'Export-SecretIdentity'
        'Import-SecretIdentity'
        'New-SecretStore'
        'Get-SecretStore'
        'Set-SecretStore'
        'Test-SecretStore'
        'Repair-SecretStore'
        'Sync-SecretStore'
        'Register-SecretStore'
        'Unregister-SecretStore'
        'Get-SecretLookupOrder'
        'Set-SecretLookupOrder'
        'Invoke-WithSecrets'
        'Add-SecretStoreMember'
        'Get-SecretStoreMember'
        'Set-SecretStoreMember'
        'Remove-SecretStoreMember'
        'Set-SecretStoreOwner'
        'Copy-SecretStore'
        'Grant-SecretAccess'
        'Revoke-SecretAccess'
        'Get-SecretAccess'
        'Import-Secret'
        'Export-Secret'
        'Get-SecretProvider'
        'Import-SecretProvider'
        'Export-SecretProvider'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Secrets', 'SecretManagement', 'Security', 'Encryption', 'Credentials', 'Automation', 'Linux', 'Windows', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
            ProjectUri = 'https://github.com/secrets-ps/Secrets'
        }
    }
}
