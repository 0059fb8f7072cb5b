-- Finding `rocky-lsp` and the `rocky` CLI: an explicit option wins, then PATH, then the
-- project's own build output (target/{release,debug}), so a checkout of Rocky works as is.
local M = {}

local function executable(path)
  return path ~= nil and path ~= '' and vim.fn.executable(path) == 1
end

--- Resolves `name` for a project root. `explicit` is the user's option (a path or a name on PATH).
--- Returns the absolute path, or nil and a message saying where it looked.
---@param name string
---@param explicit string|nil
---@param root string|nil
---@return string|nil, string|nil
function M.resolve(name, explicit, root)
  if explicit and explicit ~= '' then
    local expanded = vim.fn.expand(explicit)
    if executable(expanded) then
      return vim.fn.exepath(expanded) ~= '' and vim.fn.exepath(expanded) or expanded
    end
    return nil, ('%s (from the plugin options) is not executable'):format(explicit)
  end
  if executable(name) then
    return vim.fn.exepath(name)
  end
  local tried = { name .. ' on PATH' }
  if root then
    for _, profile in ipairs({ 'release', 'debug' }) do
      local candidate = vim.fs.joinpath(root, 'target', profile, name)
      if executable(candidate) then
        return candidate
      end
      table.insert(tried, candidate)
    end
  end
  return nil, ('%s not found (tried %s)'):format(name, table.concat(tried, ', '))
end

return M
