-- Model names and files, by the project format's rule: a model's name is its file stem unless its
-- sidecar (same stem, .toml) sets a top-level `name = "..."`.
local M = {}

---@param file string a model's .sql file or its sidecar .toml
---@return string
function M.name_of(file)
  local stem = vim.fn.fnamemodify(file, ':t:r')
  local sidecar = vim.fs.joinpath(vim.fn.fnamemodify(file, ':h'), stem .. '.toml')
  local ok, lines = pcall(vim.fn.readfile, sidecar)
  if ok then
    for _, line in ipairs(lines) do
      if line:match('^%s*%[') then
        break
      end
      local name = line:match('^%s*name%s*=%s*"([^"]+)"')
      if name then
        return name
      end
    end
  end
  return stem
end

--- The .sql file of a model by name under a project root, or nil.
---@param root string
---@param model string
---@return string|nil
function M.file_of(root, model)
  local wanted = model:lower()
  for _, file in ipairs(vim.fs.find(function(name)
    return name:match('%.sql$') ~= nil
  end, { path = root, type = 'file', limit = math.huge })) do
    if not file:find('/target/', 1, true) and M.name_of(file):lower() == wanted then
      return file
    end
  end
  return nil
end

return M
